package io.edgeshare.audio.internal.library;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Case- and accent-insensitive words for matching requests against titles and file names. */
public final class SearchText {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private SearchText() {
    }

    /** "Beyoncé – Déjà_Vu.mp3" becomes "beyonce deja vu mp3". */
    public static String fold(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFKD);
        String plain = MARKS.matcher(decomposed).replaceAll("")
                .replace("ß", "ss").replace("æ", "ae").replace("Æ", "ae").replace("ø", "o").replace("Ø", "o")
                .replace("ł", "l").replace("Ł", "l").replace("đ", "d").replace("Đ", "d");
        return NON_WORD.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    public static List<String> words(String s) {
        String f = fold(s);
        return f.isEmpty() ? List.of() : Arrays.asList(f.split(" "));
    }
}
