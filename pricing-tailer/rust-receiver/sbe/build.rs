//! Runs SBE's own code generator (sbe-tool, Rust target) over the one schema, so the receiver's
//! codecs always match the schema the Java side encodes with.
//!
//! Inputs (environment, all optional):
//! | variable            | default                                                               |
//! |=====================|=======================================================================|
//! | SBE_TOOL_CLASSPATH  | sbe-tool 1.38.1 and agrona 2.4.1 in `$M2_REPO` (or ~/.m2/repository)  |
//! | JAVA_HOME           | `java` on the PATH otherwise                                          |
//! | TICKJOURNAL_SCHEMA  | ../../../journal/src/main/resources/sbe/tickjournal-schema.xml        |
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SBE_VERSION: &str = "1.38.1";
const AGRONA_VERSION: &str = "2.4.1";
const GENERATED_CRATE: &str = "io_tickjournal_journal_sbe";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let schema = env::var("TICKJOURNAL_SCHEMA").map(PathBuf::from).unwrap_or_else(|_| {
        manifest_dir.join("../../../journal/src/main/resources/sbe/tickjournal-schema.xml")
    });
    println!("cargo:rerun-if-changed={}", schema.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SBE_TOOL_CLASSPATH");
    println!("cargo:rerun-if-env-changed=TICKJOURNAL_SCHEMA");

    let classpath = env::var("SBE_TOOL_CLASSPATH").unwrap_or_else(|_| default_classpath());
    let java = env::var("JAVA_HOME")
        .map(|home| Path::new(&home).join("bin").join("java"))
        .unwrap_or_else(|_| PathBuf::from("java"));
    let generated = out_dir.join("generated");
    let _ = fs::remove_dir_all(&generated);

    let status = Command::new(&java)
        .arg("-cp")
        .arg(&classpath)
        .arg("-Dsbe.target.language=Rust")
        .arg(format!("-Dsbe.output.dir={}", generated.display()))
        .arg("-Dsbe.validation.stop.on.error=true")
        .arg("-Dsbe.generate.ir=false")
        .arg("uk.co.real_logic.sbe.SbeTool")
        .arg(&schema)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {} (set JAVA_HOME): {}", java.display(), e));
    if !status.success() {
        panic!("SbeTool failed ({}) on {} with classpath {}", status, schema.display(), classpath);
    }

    let src = generated.join(GENERATED_CRATE).join("src");
    let lib = fs::read_to_string(src.join("lib.rs"))
        .unwrap_or_else(|e| panic!("SbeTool wrote no {}: {}", src.join("lib.rs").display(), e));
    let mut rewritten = String::with_capacity(lib.len() + 4096);
    for line in lib.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("#![") {
            continue; // inner attributes live in src/lib.rs
        }
        if let Some(name) = trimmed.strip_prefix("pub mod ").and_then(|s| s.strip_suffix(';')) {
            let file = src.join(format!("{}.rs", name));
            rewritten.push_str(&format!("#[path = {:?}]\npub mod {};\n", file.display().to_string(), name));
            continue;
        }
        rewritten.push_str(line);
        rewritten.push('\n');
    }
    fs::write(out_dir.join("sbe_lib.rs"), rewritten).unwrap();
}

fn default_classpath() -> String {
    let repo = env::var("M2_REPO").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(env::var("HOME").expect("HOME or M2_REPO")).join(".m2").join("repository")
    });
    let sbe = repo.join(format!("uk/co/real-logic/sbe-tool/{v}/sbe-tool-{v}.jar", v = SBE_VERSION));
    let agrona = repo.join(format!("org/agrona/agrona/{v}/agrona-{v}.jar", v = AGRONA_VERSION));
    for jar in [&sbe, &agrona] {
        if !jar.exists() {
            panic!("{} is missing: build the journal module once (mvn -pl journal compile) or set SBE_TOOL_CLASSPATH", jar.display());
        }
    }
    format!("{}:{}", sbe.display(), agrona.display())
}
