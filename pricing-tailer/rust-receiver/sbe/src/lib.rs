//! The tickjournal record codecs, generated at build time by SBE's Rust generator from the one
//! schema (`journal/src/main/resources/sbe/tickjournal-schema.xml`); see `build.rs`.
//!
//! The generator writes a crate whose `lib.rs` declares its modules with `pub mod x;`. `build.rs`
//! copies that `lib.rs` into `OUT_DIR` with each declaration pointing at its generated file by an
//! absolute `#[path]`, and moves its inner attributes here (an included file may not carry them).
//! Nothing else of the generated text is changed.
#![forbid(unsafe_code)]
#![allow(clippy::all)]
#![allow(non_camel_case_types)]
#![allow(ambiguous_glob_reexports)]
#![allow(dead_code)]
#![allow(unused_imports)]

include!(concat!(env!("OUT_DIR"), "/sbe_lib.rs"));
