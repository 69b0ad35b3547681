//! CloudFormation and SAM loading: each representative template (a hand-written SAM
//! application, a hand-written CloudFormation stack, a generated SAM template of 200 functions
//! with APIs, pollers, schedules, policy templates and an OpenAPI definition) parsed, evaluated,
//! validated, expanded and extracted; and a batch of 500 such templates loaded in parallel, as
//! a scan of a directory of templates does.
//!
//! `cargo bench -p lambdasec-load --bench cloudformation`

#![allow(clippy::expect_used, reason = "benchmark setup fails loudly")]

#[path = "support/gen_sam.rs"]
mod gen_sam;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambdasec_load::{LoadOptions, cloudformation};
use lambdasec_model::{FileId, Level, SourceFile};
use rayon::prelude::*;
use std::hint::black_box;

const SAM_APP: &str = include_str!("../tests/fixtures/cloudformation/sam-app.yaml");
const STACK: &str = include_str!("../tests/fixtures/cloudformation/stack.yaml");

fn bench(c: &mut Criterion) {
    let options = LoadOptions::default();
    let large = gen_sam::template(200);
    let templates = [
        ("sam-app", SAM_APP.to_owned()),
        ("stack", STACK.to_owned()),
        ("sam-200-functions", large),
    ];
    // One check outside the timing: every template loads without errors.
    for (name, text) in &templates {
        let inv = cloudformation::load(&SourceFile::new(FileId(0), *name, text.as_str()), &options);
        let errors: Vec<_> = inv
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(inv.resource_count() > 0, "{name}");
    }

    let mut group = c.benchmark_group("cloudformation");
    for (name, text) in &templates {
        let file = SourceFile::new(FileId(0), *name, text.as_str());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(cloudformation::load(&file, &options).resource_count()));
        });
    }
    // A directory of templates: the two hand-written ones, 250 times each.
    let files: Vec<SourceFile> = (0..500u32)
        .map(|i| {
            let text = if i % 2 == 0 { SAM_APP } else { STACK };
            SourceFile::new(FileId(i), format!("t{i}.yaml"), text)
        })
        .collect();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("500 templates in parallel", |b| {
        b.iter(|| {
            let n: usize = files
                .par_iter()
                .map(|f| cloudformation::load(f, &options).resource_count())
                .sum();
            black_box(n)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
