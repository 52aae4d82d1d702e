//go:build !linux

package main

// oDirect: no O_DIRECT outside Linux (the uring engine is Linux-only too).
const oDirect = 0
