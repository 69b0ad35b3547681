//! Write generated Terraform root modules to a directory, for benchmarking a whole scan
//! (`scripts/bench-scan.sh DIR`).
//!
//! `cargo run --release -p lambdasec-load --example gen_terraform -- DIR [COUNT]`

#[path = "../benches/support/gen_terraform.rs"]
mod gen_terraform;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: gen_terraform DIR [COUNT]");
        std::process::exit(2);
    };
    let count = args.next().and_then(|c| c.parse().ok()).unwrap_or(1000);
    gen_terraform::generate(std::path::Path::new(&dir), count)?;
    println!(
        "{count} modules, {} functions, in {dir}",
        count * gen_terraform::FUNCTIONS_PER_MODULE
    );
    Ok(())
}
