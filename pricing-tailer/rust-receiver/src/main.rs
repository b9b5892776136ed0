//! tickjournal-receiver: the feed read from Rust.
//!
//! Reads MoldUDP64 packets, from a multicast group or from a capture file, checks each session's
//! sequence (gaps, duplicates, heartbeats, end of session), and prints every record as one line,
//! in the same text as `./tickjournal dump` (`yyyy-MM-dd/sequence Type venue=... instr=...`), with
//! prices and sizes rendered exactly from their mantissa and exponent (integer arithmetic on the
//! digits, never a float).
//!
//! Records are decoded only by the codecs SBE's Rust generator makes from the schema
//! (crate `tickjournal-sbe`); this file frames packets and formats text.
//!
//! Output: records on standard output; sessions, gaps, duplicates, ends of session and a final
//! summary on standard error, one line each.
//!
//! Capture file (`--capture`): packets back to back, each a 4-byte big-endian length and then the
//! UDP payload (the MoldUDP64 packet) as it was received.
use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::process::ExitCode;
use std::time::Duration;

use tickjournal_sbe::book_delta_codec::decoder::BookDeltaDecoder;
use tickjournal_sbe::book_snapshot_codec::decoder::BookSnapshotDecoder;
use tickjournal_sbe::feature_snapshot_codec::decoder::FeatureSnapshotDecoder;
use tickjournal_sbe::instrument_definition_codec::decoder::InstrumentDefinitionDecoder;
use tickjournal_sbe::mark_price_codec::decoder::MarkPriceDecoder;
use tickjournal_sbe::message_header_codec::decoder::MessageHeaderDecoder;
use tickjournal_sbe::raw_frame_codec::decoder::RawFrameDecoder;
use tickjournal_sbe::stream_kind::StreamKind;
use tickjournal_sbe::top_of_book_codec::decoder::TopOfBookDecoder;
use tickjournal_sbe::trade_codec::decoder::TradeDecoder;
use tickjournal_sbe::venue_status_codec::decoder::VenueStatusDecoder;
use tickjournal_sbe::*;

/// MoldUDP64 header: 10 session bytes, 8-byte sequence of the first message, 2-byte count (big-endian).
const HEADER_LENGTH: usize = 20;
const SESSION_LENGTH: usize = 10;
const HEARTBEAT_COUNT: u16 = 0;
const END_OF_SESSION_COUNT: u16 = 0xFFFF;
/// The schema's null for int64 fields, and the decimal mantissa that means "not representable".
const NULL_LONG: i64 = i64::MIN;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match Options::parse(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{}", message);
            eprintln!("{}", USAGE);
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut receiver = Receiver::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let result = match &options.source {
        Source::Capture(path) => read_capture(path, &mut receiver),
        Source::Group { group, port, interface } => {
            read_group(*group, *port, *interface, options.idle_exit_ms, &mut receiver)
        }
    };
    let flushed = receiver.out.flush();
    eprintln!("{}", receiver.summary());
    match result.and(flushed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e);
            ExitCode::from(1)
        }
    }
}

const USAGE: &str = "usage: tickjournal-receiver --capture FILE\n       \
                     tickjournal-receiver --group ADDR:PORT [--interface 127.0.0.1] [--idle-exit-ms N]";

enum Source {
    Capture(String),
    Group { group: Ipv4Addr, port: u16, interface: Ipv4Addr },
}

struct Options {
    source: Source,
    /// Stop after this long without a packet (live mode); 0 runs until killed.
    idle_exit_ms: u64,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut capture = None;
        let mut group = None;
        let mut interface = Ipv4Addr::LOCALHOST;
        let mut idle_exit_ms = 0;
        let mut i = 0;
        while i < args.len() {
            let value = args.get(i + 1).ok_or_else(|| format!("{} needs a value", args[i]))?;
            match args[i].as_str() {
                "--capture" => capture = Some(value.clone()),
                "--group" => {
                    let address: SocketAddrV4 = value.parse().map_err(|_| format!("not ADDR:PORT: {}", value))?;
                    group = Some(address);
                }
                "--interface" => interface = value.parse().map_err(|_| format!("not an IPv4 address: {}", value))?,
                "--idle-exit-ms" => idle_exit_ms = value.parse().map_err(|_| format!("not a number: {}", value))?,
                other => return Err(format!("unknown option {}", other)),
            }
            i += 2;
        }
        let source = match (capture, group) {
            (Some(path), None) => Source::Capture(path),
            (None, Some(address)) => Source::Group { group: *address.ip(), port: address.port(), interface },
            _ => return Err("give exactly one of --capture and --group".to_string()),
        };
        Ok(Options { source, idle_exit_ms })
    }
}

fn read_capture<W: Write>(path: &str, receiver: &mut Receiver<W>) -> io::Result<()> {
    let bytes = fs::read(path)?;
    let mut offset = 0;
    while offset + 4 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[offset..offset + 4].try_into().unwrap()) as usize;
        offset += 4;
        if offset + length > bytes.len() {
            eprintln!("TRUNCATED capture: packet of {} bytes at offset {} runs past the end", length, offset - 4);
            break;
        }
        receiver.on_packet(&bytes[offset..offset + length])?;
        offset += length;
    }
    Ok(())
}

fn read_group<W: Write>(
    group: Ipv4Addr,
    port: u16,
    interface: Ipv4Addr,
    idle_exit_ms: u64,
    receiver: &mut Receiver<W>,
) -> io::Result<()> {
    let socket = UdpSocket::bind(SocketAddrV4::new(group, port))?;
    socket.join_multicast_v4(&group, &interface)?;
    if idle_exit_ms > 0 {
        socket.set_read_timeout(Some(Duration::from_millis(idle_exit_ms)))?;
    }
    eprintln!("JOINED group={}:{} interface={}", group, port, interface);
    let mut packet = vec![0u8; 65536];
    loop {
        match socket.recv(&mut packet) {
            Ok(length) => receiver.on_packet(&packet[..length])?,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::TimedOut => break,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Per-session sequencing and record printing. One thread; state per session (a partition's day).
struct Receiver<W: Write> {
    out: W,
    next_by_session: HashMap<[u8; SESSION_LENGTH], u64>,
    packets: u64,
    heartbeats: u64,
    records: u64,
    gaps: u64,
    missing: u64,
    duplicates: u64,
    malformed: u64,
}

impl<W: Write> Receiver<W> {
    fn new(out: W) -> Self {
        Receiver {
            out,
            next_by_session: HashMap::new(),
            packets: 0,
            heartbeats: 0,
            records: 0,
            gaps: 0,
            missing: 0,
            duplicates: 0,
            malformed: 0,
        }
    }

    fn on_packet(&mut self, packet: &[u8]) -> io::Result<()> {
        self.packets += 1;
        if packet.len() < HEADER_LENGTH {
            self.malformed += 1;
            eprintln!("MALFORMED packet of {} bytes (a MoldUDP64 header is {})", packet.len(), HEADER_LENGTH);
            return Ok(());
        }
        let mut session = [0u8; SESSION_LENGTH];
        session.copy_from_slice(&packet[..SESSION_LENGTH]);
        let sequence = u64::from_be_bytes(packet[10..18].try_into().unwrap());
        let count = u16::from_be_bytes(packet[18..20].try_into().unwrap());
        let session_text = String::from_utf8_lossy(&session).into_owned();
        let day = match day_of(&session) {
            Some(day) => day,
            None => {
                self.malformed += 1;
                eprintln!("MALFORMED session {:?}: want 2 characters and yyyyMMdd", session_text);
                return Ok(());
            }
        };
        let expected = match self.next_by_session.get(&session) {
            Some(next) => *next,
            None => {
                eprintln!("SESSION {} day={}", session_text, day);
                1
            }
        };

        if count == END_OF_SESSION_COUNT || count == HEARTBEAT_COUNT {
            // Both carry the next sequence the sender will use: anything below it that we lack is a gap.
            if sequence > expected {
                self.gap(&session_text, expected, sequence);
            }
            self.next_by_session.insert(session, expected.max(sequence));
            if count == END_OF_SESSION_COUNT {
                eprintln!("END session={} next={}", session_text, sequence);
            } else {
                self.heartbeats += 1;
            }
            return Ok(());
        }

        let mut next = expected;
        let mut offset = HEADER_LENGTH;
        for i in 0..count as u64 {
            if offset + 2 > packet.len() {
                self.malformed += 1;
                eprintln!("MALFORMED session={} seq={}: packet ends before message {} of {}", session_text, sequence, i + 1, count);
                break;
            }
            let length = u16::from_be_bytes(packet[offset..offset + 2].try_into().unwrap()) as usize;
            offset += 2;
            if offset + length > packet.len() {
                self.malformed += 1;
                eprintln!("MALFORMED session={} seq={}: message of {} bytes runs past the packet", session_text, sequence + i, length);
                break;
            }
            let message = &packet[offset..offset + length];
            offset += length;
            let message_sequence = sequence + i;
            if message_sequence < next {
                self.duplicates += 1;
                continue;
            }
            if message_sequence > next {
                self.gap(&session_text, next, message_sequence);
            }
            writeln!(self.out, "{}/{} {}", day, message_sequence, format_record(message))?;
            self.records += 1;
            next = message_sequence + 1;
        }
        self.next_by_session.insert(session, next);
        Ok(())
    }

    fn gap(&mut self, session: &str, expected: u64, received: u64) {
        self.gaps += 1;
        self.missing += received - expected;
        eprintln!("GAP session={} missing={}..{} ({} records)", session, expected, received - 1, received - expected);
    }

    fn summary(&self) -> String {
        format!(
            "SUMMARY packets={} heartbeats={} records={} gaps={} missing={} duplicates={} malformed={}",
            self.packets, self.heartbeats, self.records, self.gaps, self.missing, self.duplicates, self.malformed
        )
    }
}

/// The trading day a session names: `XXyyyyMMdd` -> `yyyy-MM-dd`.
fn day_of(session: &[u8; SESSION_LENGTH]) -> Option<String> {
    let digits = &session[2..];
    if !digits.iter().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    Some(format!("{}-{}-{}", &text[0..4], &text[4..6], &text[6..8]))
}

/// Exact decimal text of `mantissa * 10^exponent`, digit by digit (the Java side's `Decimals.appendTo`).
fn decimal(mantissa: i64, exponent: i8) -> String {
    if mantissa == NULL_LONG {
        return "null".to_string();
    }
    let digits = mantissa.unsigned_abs().to_string();
    let mut text = String::with_capacity(digits.len() + 24);
    if mantissa < 0 {
        text.push('-');
    }
    if exponent >= 0 {
        text.push_str(&digits);
        if mantissa != 0 {
            for _ in 0..exponent {
                text.push('0');
            }
        }
        return text;
    }
    let places = (-(exponent as i32)) as usize;
    if digits.len() > places {
        let split = digits.len() - places;
        text.push_str(&digits[..split]);
        text.push('.');
        text.push_str(&digits[split..]);
    } else {
        text.push_str("0.");
        for _ in digits.len()..places {
            text.push('0');
        }
        text.push_str(&digits);
    }
    text
}

/// An enum's name as the Java codecs print it (SBE's Rust `NullVal` is Java's `NULL_VAL`).
fn name<E: std::fmt::Display>(value: E) -> String {
    let text = value.to_string();
    if text == "NullVal" {
        "NULL_VAL".to_string()
    } else {
        text
    }
}

fn level(line: &mut String, price: i64, price_exponent: i8, size: i64, size_exponent: i8) {
    line.push_str(" [");
    line.push_str(&decimal(price, price_exponent));
    line.push(' ');
    line.push_str(&decimal(size, size_exponent));
    line.push(']');
}

fn ascii(message: &[u8], coordinates: (usize, usize)) -> String {
    String::from_utf8_lossy(&message[coordinates.0..coordinates.0 + coordinates.1]).into_owned()
}

/// One record as `./tickjournal dump` prints it, or `INVALID(...)` when the generated codecs cannot
/// read it (they index the buffer directly, so a truncated record is caught as a panic here).
fn format_record(message: &[u8]) -> String {
    let header_length = message_header_codec::ENCODED_LENGTH;
    if message.len() < header_length + 40 {
        return format!("INVALID(too short, {} bytes)", message.len());
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| decode(message));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| format!("INVALID(truncated, {} bytes)", message.len()))
}

fn decode(message: &[u8]) -> String {
    let buf = ReadBuf::new(message);
    let header = MessageHeaderDecoder::default().wrap(buf, 0);
    if header.schema_id() != SBE_SCHEMA_ID {
        return format!("INVALID(wrong schema, {} bytes)", message.len());
    }
    let template_id = header.template_id();
    let mut line = String::with_capacity(256);
    macro_rules! common {
        ($type_name:expr, $d:expr) => {{
            line.push_str($type_name);
            line.push_str(&format!(" venue={} instr={} recv={}", $d.venue_id(), $d.instrument_id(), $d.receive_time_ns()));
            if $d.event_time_ns() != NULL_LONG {
                line.push_str(&format!(" event={}", $d.event_time_ns()));
            }
            if $d.venue_seq() != NULL_LONG {
                line.push_str(&format!(" vseq={}", $d.venue_seq()));
            }
        }};
    }
    match template_id {
        trade_codec::SBE_TEMPLATE_ID => {
            let d = TradeDecoder::default().header(header, 0);
            common!("Trade", d);
            line.push_str(&format!(" {} {} ", name(d.kind()), name(d.aggressor())));
            line.push_str(&decimal(d.size_mantissa(), d.size_exponent()));
            line.push_str(" @ ");
            line.push_str(&decimal(d.price_mantissa(), d.price_exponent()));
        }
        book_snapshot_codec::SBE_TEMPLATE_ID => {
            let d = BookSnapshotDecoder::default().header(header, 0);
            common!("BookSnapshot", d);
            let (pe, se) = (d.price_exponent(), d.size_exponent());
            line.push_str(" bids");
            let mut bids = d.bids_decoder();
            while let Ok(Some(_)) = bids.advance() {
                level(&mut line, bids.price(), pe, bids.size(), se);
            }
            line.push_str(" asks");
            let mut asks = bids.parent().unwrap().asks_decoder();
            while let Ok(Some(_)) = asks.advance() {
                level(&mut line, asks.price(), pe, asks.size(), se);
            }
        }
        book_delta_codec::SBE_TEMPLATE_ID => {
            let d = BookDeltaDecoder::default().header(header, 0);
            common!("BookDelta", d);
            let (pe, se) = (d.price_exponent(), d.size_exponent());
            line.push_str(&format!(" first={} prev={} bids", d.first_venue_seq(), d.prev_venue_seq()));
            let mut bids = d.bids_decoder();
            while let Ok(Some(_)) = bids.advance() {
                level(&mut line, bids.price(), pe, bids.size(), se);
            }
            line.push_str(" asks");
            let mut asks = bids.parent().unwrap().asks_decoder();
            while let Ok(Some(_)) = asks.advance() {
                level(&mut line, asks.price(), pe, asks.size(), se);
            }
        }
        top_of_book_codec::SBE_TEMPLATE_ID => {
            let d = TopOfBookDecoder::default().header(header, 0);
            common!("TopOfBook", d);
            line.push_str(" bid");
            level(&mut line, d.bid_price(), d.price_exponent(), d.bid_size(), d.size_exponent());
            line.push_str(" ask");
            level(&mut line, d.ask_price(), d.price_exponent(), d.ask_size(), d.size_exponent());
        }
        instrument_definition_codec::SBE_TEMPLATE_ID => {
            let mut d = InstrumentDefinitionDecoder::default().header(header, 0);
            common!("InstrumentDefinition", d);
            line.push_str(&format!(
                " {} pexp={} sexp={}",
                name(d.market_kind()),
                d.price_exponent(),
                d.size_exponent()
            ));
            // Schema version 2: the book's price grouping (a version 1 record reads as the null value: none).
            let grouping = d.price_grouping();
            if grouping != 0 && grouping != NULL_LONG {
                line.push_str(&format!(" grouping={}", decimal(grouping, d.price_exponent())));
            }
            // Schema version 3: the book depth asked of the venue (an earlier record reads as the null value: none).
            let depth = d.book_depth();
            if depth != 0 && depth != u16::MAX {
                line.push_str(&format!(" depth={}", depth));
            }
            let venue_symbol = d.venue_symbol_decoder();
            let canonical_symbol = d.canonical_symbol_decoder();
            line.push_str(&format!(
                " symbol={} canonical={}",
                ascii(message, venue_symbol),
                ascii(message, canonical_symbol)
            ));
        }
        venue_status_codec::SBE_TEMPLATE_ID => {
            let mut d = VenueStatusDecoder::default().header(header, 0);
            common!("VenueStatus", d);
            line.push_str(&format!(
                " {} conn={} expected={} received={}",
                name(d.status()),
                d.connection_id(),
                d.expected_seq(),
                d.received_seq()
            ));
            if d.stream() != StreamKind::NONE {
                line.push_str(&format!(" stream={}", name(d.stream())));
            }
            let detail = d.detail_decoder();
            line.push_str(&format!(" detail=\"{}\"", ascii(message, detail)));
        }
        mark_price_codec::SBE_TEMPLATE_ID => {
            let d = MarkPriceDecoder::default().header(header, 0);
            common!("MarkPrice", d);
            line.push_str(&format!(
                " mark={} index={} funding={} nextFunding={}",
                decimal(d.mark_price(), d.price_exponent()),
                decimal(d.index_price(), d.price_exponent()),
                decimal(d.funding_rate_mantissa(), d.funding_rate_exponent()),
                d.next_funding_time_ns()
            ));
        }
        feature_snapshot_codec::SBE_TEMPLATE_ID => {
            let d = FeatureSnapshotDecoder::default().header(header, 0);
            common!("FeatureSnapshot", d);
            let mut values = d.values_decoder();
            while let Ok(Some(_)) = values.advance() {
                line.push_str(&format!(" f{}={}", values.feature_id(), decimal(values.mantissa(), values.exponent())));
            }
        }
        raw_frame_codec::SBE_TEMPLATE_ID => {
            let mut d = RawFrameDecoder::default().header(header, 0);
            common!("RawFrame", d);
            let connection_id = d.connection_id();
            let payload = d.payload_decoder();
            line.push_str(&format!(
                " conn={} bytes={} payload={}",
                connection_id,
                payload.1,
                ascii(message, payload)
            ));
        }
        other => return format!("INVALID(unknown template {}, {} bytes)", other, message.len()),
    }
    line
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimals_are_exact_text() {
        assert_eq!(decimal(6500004, -2), "65000.04");
        assert_eq!(decimal(-5, -3), "-0.005");
        assert_eq!(decimal(0, -2), "0.00");
        assert_eq!(decimal(12, 3), "12000");
        assert_eq!(decimal(0, 3), "0");
        assert_eq!(decimal(i64::MAX, -18), "9.223372036854775807");
        assert_eq!(decimal(i64::MIN + 1, -19), "-0.9223372036854775807");
        assert_eq!(decimal(i64::MIN, 0), "null");
    }
}
