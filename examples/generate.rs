//! Writes a synthetic site of N events (the benchmark's events, `benches/generate/`) into a
//! folder, to build, measure or compare by hand:
//!
//! ```sh
//! cargo run --release --example generate -- 10000 /tmp/site-10k
//! cargo run --release -- build --root /tmp/site-10k
//! ```

#[path = "../benches/generate/mod.rs"]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: generate N FOLDER";
    let n: usize = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let folder = std::path::PathBuf::from(args.next().expect(usage));
    std::fs::create_dir_all(&folder).expect("cannot create the folder");
    generate::write_site(&folder, n, &generate::refs());
    println!("wrote {n} events into {}", folder.display());
}
