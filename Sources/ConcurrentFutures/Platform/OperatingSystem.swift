// The platform layer: the one module of the package that imports the operating system's C
// library. Everything else imports `SystemPlatform` (or Foundation) and never `Glibc` or
// `Darwin`, so that one codebase builds on Linux and on macOS.
//
// What lives here:
// - the C library itself, re-exported below, for the POSIX calls that Linux and macOS spell the
//   same way (`read`, `write`, `poll`, `kill`, `waitpid`, `pthread_mutex_lock`, ...);
// - a small function or type for every call that differs between the two systems, each with a
//   doc comment saying what it does on Linux and what on macOS.
//
// CI checks that no file outside this folder imports Glibc, Darwin or Musl, or names a `/proc`
// path (`.ci/check-platform-layer`).
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#else
#error("The workbook runs on Linux and macOS (Windows: use the container, see the README).")
#endif
