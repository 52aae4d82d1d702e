// Package uringos is package os's file and directory functions running on
// io_uring: change the import, keep the code, and let one shared ring do
// the file I/O instead of an OS thread blocked per call.
//
//	data, err := uringos.ReadFile("/etc/hostname")
//
//	f, err := uringos.Create(name) // a *uringos.File, used like an *os.File
//	_, err = f.Write(data)
//	err = f.Close()
//
// The package-level functions run on ring.DefaultLoop; On(loop) gives the
// same functions on a Loop of your own. Results and errors are those of
// package os: the same values, the same *fs.PathError / *os.LinkError with
// the same syscall.Errno inside (the conformance tests run every call on
// both packages and compare).
//
// Where io_uring wins outright are the batch helpers: LstatAll, StatAll,
// OpenAll and ReadFiles hand the kernel many operations in one submission.
// File.Read, ReadAt, Write and WriteAt split transfers larger than ChunkSize
// into ops that run concurrently (pipelined) and reassemble the result.
//
// Functions the kernel has no io_uring operation for (utimensat, fchmod,
// readlink, getdents, lseek, truncate by path) make the ordinary system
// call; each says so in its doc comment. Directory listing is getdents64
// followed, where file information is needed, by batched statx.
//
// When io_uring is unavailable (seccomp's ENOSYS, kernel.io_uring_disabled's
// EPERM, a non-Linux system), every call returns an error matching
// ring.ErrUnavailable or ring.ErrUnsupportedOS, unless the program asked
// for the fallback with FallbackToOS: then the package-level functions use
// package os, and the notify function it was given is told why, once.
package uringos
