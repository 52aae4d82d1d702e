//go:build linux

package ring

import "golang.org/x/sys/unix"

// The owner's doorbell is an eventfd (axboe recommends one to wake a ring
// waiter, liburing #103): a producer writes it, which completes the READ
// the owner keeps armed on it, and so wakes the owner from GETEVENTS.

func newEventfd() (int, error) {
	return unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
}

var doorbellOne = [8]byte{1}

func ringEventfd(fd int) {
	// EAGAIN (counter at its maximum) still leaves the eventfd readable,
	// which is all the owner needs.
	_, _ = unix.Write(fd, doorbellOne[:])
}

func closeEventfd(fd int) { _ = unix.Close(fd) }
