package main

import "syscall"

// oDirect is O_DIRECT for -direct.
const oDirect = syscall.O_DIRECT
