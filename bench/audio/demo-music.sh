#!/usr/bin/env bash
# Generates a small demo programme for an audio channel (no recordings are committed): three tagged
# songs in DIR/music, one more in DIR/library (for an on-demand request), a news clip in DIR/breaks.
# usage: bench/audio/demo-music.sh INSTANCE_DATA_DIR     e.g. run/gateway/data
set -euo pipefail
dir=${1:?usage: demo-music.sh DATA_DIR}
mkdir -p "$dir/music" "$dir/library" "$dir/breaks"
tone() { # file seconds title artist filter
  ffmpeg -nostdin -v error -y -f lavfi -i "$5" -t "$2" -ac 2 -ar 44100 -c:a libmp3lame -b:a 128k \
    -metadata title="$3" -metadata artist="$4" -id3v2_version 3 "$1"
}
tone "$dir/music/01-morning.mp3" 40 "Morning Drive" "Demo Band" "sine=frequency=440,tremolo=f=2"
tone "$dir/music/02-lunch.mp3" 40 "Lunch Break" "Demo Band" "sine=frequency=550,vibrato=f=5"
tone "$dir/music/03-evening.mp3" 40 "Evening Café" "Démo Ensemble" "sine=frequency=330,tremolo=f=4"
tone "$dir/library/request.mp3" 30 "Déjà Vu" "Requested Artist" "sine=frequency=660,tremolo=f=3"
tone "$dir/breaks/news.mp3" 8 "News at the hour" "EdgeShare Radio" "anoisesrc=color=brown:amplitude=0.1"
echo "demo programme in $dir: $(ls "$dir"/music | wc -l) songs, 1 library track, 1 break"
