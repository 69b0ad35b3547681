//! Detector throughput on one file held in memory, single thread and split across threads.
//!
//! `cargo run --release -p lambdasec-secrets --example throughput -- FILE`

use lambdasec_secrets::Detector;
use rayon::prelude::*;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: throughput FILE")?;
    let data = std::fs::read(&path)?;
    let detector = Detector::shared().map_err(|e| e.to_string())?;
    let mb = data.len() as f64 / 1e6;
    for _ in 0..2 {
        let start = Instant::now();
        let n = detector.scan(&data).len();
        let s = start.elapsed().as_secs_f64();
        println!(
            "1 thread: {mb:.1} MB, {n} matches, {s:.3} s, {:.0} MB/s",
            mb / s
        );
    }
    let chunks: Vec<&[u8]> = data.chunks(1 << 20).collect();
    let start = Instant::now();
    let n: usize = chunks.par_iter().map(|c| detector.scan(c).len()).sum();
    let s = start.elapsed().as_secs_f64();
    println!(
        "{} threads: {mb:.1} MB, {n} matches, {s:.3} s, {:.0} MB/s",
        rayon::current_num_threads(),
        mb / s
    );
    Ok(())
}
