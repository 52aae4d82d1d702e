//go:build !linux

package ring

func dupCloexec(fd int) (int, error) { return -1, ErrUnsupportedOS }

func closeFd(fd int) {}
