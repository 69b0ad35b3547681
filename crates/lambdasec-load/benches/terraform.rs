//! Terraform loading throughput: 1,000 generated root modules (5,000 functions), discovered
//! and loaded in parallel as a scan does.
//!
//! `cargo bench -p lambdasec-load --bench terraform`

#![allow(clippy::expect_used, reason = "benchmark setup fails loudly")]

#[path = "support/gen_terraform.rs"]
mod gen_terraform;

use criterion::{Criterion, criterion_group, criterion_main};
use lambdasec_load::{LoadOptions, discover, load};
use lambdasec_model::SourceMap;
use rayon::prelude::*;
use std::hint::black_box;

const MODULES: usize = 1000;

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("lambdasec-tf-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    gen_terraform::generate(&dir, MODULES).expect("generate modules");
    let options = LoadOptions::default();

    // One check outside the timing: everything loads, with the expected functions.
    let sources = SourceMap::new();
    let d = discover(std::slice::from_ref(&dir), &sources);
    let functions: usize = d
        .units
        .par_iter()
        .map(|u| load(u, &sources, &options).functions.len())
        .sum();
    assert_eq!(d.units.len(), MODULES);
    assert_eq!(functions, MODULES * gen_terraform::FUNCTIONS_PER_MODULE);

    let mut group = c.benchmark_group("terraform");
    group.sample_size(10);
    group.bench_function("discover+load 1000 modules", |b| {
        b.iter(|| {
            let sources = SourceMap::new();
            let d = discover(std::slice::from_ref(&dir), &sources);
            let n: usize = d
                .units
                .par_iter()
                .map(|u| load(u, &sources, &options).resource_count())
                .sum();
            black_box(n)
        });
    });
    group.bench_function("load one module", |b| {
        let sources = SourceMap::new();
        let d = discover(&[dir.join("m0000")], &sources);
        let unit = d.units.first().expect("a unit");
        b.iter(|| black_box(load(unit, &sources, &options).resource_count()));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
