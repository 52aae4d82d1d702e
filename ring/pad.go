package ring

// cacheLinePad keeps the fields before it and after it on different cache
// lines (two 64-byte lines: x86's adjacent-line prefetcher fetches lines in
// pairs). In the Loop, submitters on one core and the goroutine that
// enters and dispatches on the other write different fields of the same
// struct for every op; without padding each such write invalidates the
// other core's copy of a line it did not mean to share. NOPs from 64
// goroutines with both cores busy went from 2.4-2.5M to 3.0-3.1M per
// second (docs/heuristics.md, section 2).
type cacheLinePad struct{ _ [128]byte }
