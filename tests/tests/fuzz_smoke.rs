//! The fuzz targets' bodies (`fuzz/src/lib.rs`), run on every CI run for a
//! bounded time: each target's seeds, then random mutations of them (bit
//! flips, byte edits, cuts, repeats, splices and JSON/protobuf tokens).
//! This is the cheap, always-on half of fuzzing; the coverage-guided half is
//! `fuzz/run.sh`, which builds the libFuzzer binaries and needs a separate
//! instrumented build of everything, RocksDB included.
//!
//! `KUBOX_FUZZ_SECONDS` sets the time per target (default 2);
//! `KUBOX_FUZZ_SEED` replays one run (the seed is printed).

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod kubox_fuzz;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// A xorshift generator: reproducible from its seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Bytes that steer decoders into their interesting branches.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-0",
    b"1e999",
    b"\\u0000",
    b"\\ud800",
    b"$patch",
    b"$setElementOrder/",
    b"$retainKeys",
    b"$deleteFromPrimitiveList/",
    b"k8s\0",
    b"\x0a\xff\xff\xff\xff\x0f",
    b"\x80",
    b"\xff",
    b"in (",
    b"notin",
    b"!=",
    b"==",
    b"Ki",
    b"Ei",
    b"m",
    b"e-",
    b".",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                input.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(16)).min(len);
                input.drain(start..end);
            }
            4 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let piece = input[start..end].to_vec();
                let at = rng.below(input.len() + 1);
                input.splice(at..at, piece);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + 1 + rng.below(256)).min(other.len());
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                input.splice(at..at, token.iter().copied());
            }
        }
    }
    input.truncate(64 * 1024);
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds").join(target);
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

fn run(target: &str) {
    let (_, body) = kubox_fuzz::TARGETS.iter().find(|(name, _)| *name == target).expect("a known target");
    let seconds: u64 = std::env::var("KUBOX_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let seed: u64 = std::env::var("KUBOX_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("{target}: KUBOX_FUZZ_SEED={seed}, {seconds} s");
    let seeds = seeds(target);
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    let mut inputs = seeds.clone().into_iter();
    loop {
        let input = match inputs.next() {
            Some(seed) => seed,
            None => {
                if Instant::now() >= deadline {
                    break;
                }
                let mut input = seeds[rng.below(seeds.len())].clone();
                mutate(&mut rng, &mut input, &seeds);
                input
            }
        };
        runs += 1;
        if catch_unwind(AssertUnwindSafe(|| body(&input))).is_err() {
            let path = std::env::temp_dir().join(format!("kubox-fuzz-{target}-{seed}"));
            std::fs::write(&path, &input).unwrap();
            panic!(
                "{target} panicked on an input saved to {} (KUBOX_FUZZ_SEED={seed}); replay it with fuzz/run.sh or \
                 the target binary",
                path.display()
            );
        }
    }
    eprintln!("{target}: {runs} inputs");
    assert!(runs > seeds.len() as u64, "{target}: no mutated input ran in {seconds} s");
}

#[test]
fn fuzz_jsondup() {
    run("jsondup");
}

#[test]
fn fuzz_protobuf_decode() {
    run("protobuf_decode");
}

#[test]
fn fuzz_protobuf_envelope() {
    run("protobuf_envelope");
}

#[test]
fn fuzz_quantity() {
    run("quantity");
}

#[test]
fn fuzz_schema_decode() {
    run("schema_decode");
}

#[test]
fn fuzz_selectors() {
    run("selectors");
}

#[test]
fn fuzz_strategic_merge() {
    run("strategic_merge");
}

#[test]
fn every_fuzz_target_runs_here() {
    let here: Vec<&str> = kubox_fuzz::TARGETS.iter().map(|(name, _)| *name).collect();
    let binaries: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for binary in &binaries {
        assert!(here.contains(&binary.as_str()), "fuzz target {binary} is not in TARGETS");
    }
    let source = include_str!("fuzz_smoke.rs");
    for name in here {
        assert!(source.contains(&format!("run(\"{name}\")")), "fuzz target {name} has no test here");
    }
}
