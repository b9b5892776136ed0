#!/usr/bin/env bash
# Capture the bridge's MoldUDP64 packets on loopback and check them with Wireshark's dissector.
#   tshark-moldudp64.sh start PCAP PORT   capture udp PORT on lo into PCAP until SIGTERM (prints READY)
#   tshark-moldudp64.sh check PCAP PORT   decode PCAP as MoldUDP64: one line per packet
#                                         "session<TAB>sequence<TAB>count"; "MALFORMED ..." lines and
#                                         exit 1 if any packet is malformed
# Used by TsharkDecodeTest during the test run; runnable by hand against any capture.
set -euo pipefail
cmd="$1" pcap="$2" port="$3"
case "$cmd" in
  start)
    tshark -q -i lo -f "udp port $port" -w "$pcap" >/dev/null 2>&1 &
    pid=$!
    trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0' TERM INT
    # wait until tshark has the capture file open before saying READY
    for _ in $(seq 1 100); do [ -s "$pcap" ] && break; sleep 0.1; done
    echo READY
    wait $pid
    ;;
  check)
    malformed=$(tshark -r "$pcap" -d "udp.port==$port,moldudp64" -Y "_ws.malformed || _ws.expert.severity >= warning" -T fields -e frame.number 2>/dev/null | grep -c . || true)
    tshark -r "$pcap" -d "udp.port==$port,moldudp64" -T fields -e moldudp64.session -e moldudp64.sequence -e moldudp64.count 2>/dev/null
    if [ "$malformed" -gt 0 ]; then
      echo "MALFORMED: $malformed packet(s) flagged by the dissector"
      exit 1
    fi
    ;;
  *) echo "usage: $0 start|check PCAP PORT" >&2; exit 2 ;;
esac
