package uringos

import (
	"encoding/binary"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/unix"
)

func getdents(fd int, buf []byte) (int, error) {
	for {
		n, err := unix.Getdents(fd, buf)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// parseDirent decodes the struct linux_dirent64 at the start of b (u64
// d_ino, s64 d_off, u16 d_reclen, u8 d_type, NUL-terminated d_name) and
// returns its name (aliasing b), type, whether d_type was known, and the
// record length (0 if b does not hold a whole record).
func parseDirent(b []byte) (name string, typ fs.FileMode, known bool, size int) {
	const nameOff = 19
	if len(b) < nameOff {
		return "", 0, false, 0
	}
	reclen := int(binary.NativeEndian.Uint16(b[16:18]))
	if reclen < nameOff || reclen > len(b) {
		return "", 0, false, 0
	}
	nb := b[nameOff:reclen]
	for i, c := range nb {
		if c == 0 {
			nb = nb[:i]
			break
		}
	}
	known = true
	switch b[18] {
	case unix.DT_REG:
	case unix.DT_DIR:
		typ = fs.ModeDir
	case unix.DT_LNK:
		typ = fs.ModeSymlink
	case unix.DT_FIFO:
		typ = fs.ModeNamedPipe
	case unix.DT_SOCK:
		typ = fs.ModeSocket
	case unix.DT_CHR:
		typ = fs.ModeDevice | fs.ModeCharDevice
	case unix.DT_BLK:
		typ = fs.ModeDevice
	default:
		known = false
	}
	return unsafe.String(unsafe.SliceData(nb), len(nb)), typ, known, reclen
}
