//! Writes a synthetic site of N events (the benchmark's events, `benches/generate/`) into a
//! folder, to build, measure or compare by hand; with `--hugo`, the Hugo twin of the same
//! events instead (`benches/generate/hugo.rs`):
//!
//! ```sh
//! cargo run --release --example generate -- 10000 /tmp/site-10k
//! cargo run --release -- build --root /tmp/site-10k
//! cargo run --release --example generate -- 10000 /tmp/hugo-10k --hugo
//! hugo --quiet --source /tmp/hugo-10k --destination /tmp/hugo-10k-public
//! ```
//!
//! With `--busy`, the site at real scale of `tests/budgets.rs`: the N events, 1,600 more on one
//! day (8 January 2026) and 3,000 more in one city (Tehran).

#[path = "../benches/generate/mod.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    let busy = args.iter().any(|a| a == "--busy");
    let mut args = args.into_iter().filter(|a| a != "--hugo" && a != "--busy");
    let usage = "usage: generate N FOLDER [--hugo | --busy]";
    let n: usize = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let folder = std::path::PathBuf::from(args.next().expect(usage));
    std::fs::create_dir_all(&folder).expect("cannot create the folder");
    let refs = generate::refs();
    if hugo {
        generate::hugo::write_hugo_site(&folder, n, &refs);
        println!(
            "wrote the Hugo twin of {n} events into {}",
            folder.display()
        );
    } else if busy {
        generate::write_busy(&folder, n, 1_600, 3_000, &refs);
        println!(
            "wrote {n} events, 1,600 more on one day and 3,000 more in Tehran into {}",
            folder.display()
        );
    } else {
        generate::write_site(&folder, n, &refs);
        println!("wrote {n} events into {}", folder.display());
    }
}
