//! Link-time settings of the `shiftcover` binary.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        // The binary is position-independent, so the dynamic loader fills
        // in the address of every pointer in its static tables (the
        // reader's cue tables, the time zones, Unicode's) at start-up: some
        // 63,000 relocations. Written out one by one they take 1.5 MB,
        // which the loader reads through and which then stays resident in
        // the daemon for its whole life; packed (DT_RELR: runs of
        // neighbouring pointers as bitmaps, glibc 2.36 and later, GNU ld
        // 2.38 and later, both in Debian 12) they take a few kilobytes.
        // The loaded program is the same. The binary then needs a C
        // library that reads packed relocations (it names the symbol
        // version GLIBC_ABI_DT_RELR, so the Debian package's libc6
        // dependency, worked out from the binary, says so).
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
