package future

import (
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// Extended attributes (5.19). The set forms take XATTR_CREATE /
// XATTR_REPLACE flags; the get forms read into dst and give the value's
// length.

// xattrKeep keeps an xattr op's path, name and value buffer.
type xattrKeep struct {
	path, name *byte
	value      []byte
}

func xattrOp(op ring.Op, path, name string, value []byte, prep func(s *ring.SQE, k *xattrKeep)) Op[int] {
	var s ring.SQE
	k := &xattrKeep{value: value}
	var err error
	if k.name, err = cstr(name); err == nil && op != ring.OpFsetxattr && op != ring.OpFgetxattr {
		k.path, err = cstr(path)
	}
	if err != nil {
		s.Opcode = op
		return newOp(s, nil, decodeInt).withErr("name or path contains a NUL byte")
	}
	prep(&s, k)
	return newOp(s, unsafe.Pointer(k), decodeInt)
}

// Fsetxattr is IORING_OP_FSETXATTR: fsetxattr(2). The value is 0.
func Fsetxattr(fd int, name string, value []byte, flags uint32) Op[int] {
	return xattrOp(ring.OpFsetxattr, "", name, value, func(s *ring.SQE, k *xattrKeep) { s.PrepFsetxattr(int32(fd), k.name, k.value, flags) })
}

// Setxattr is IORING_OP_SETXATTR: setxattr(2). The value is 0.
func Setxattr(path, name string, value []byte, flags uint32) Op[int] {
	return xattrOp(ring.OpSetxattr, path, name, value, func(s *ring.SQE, k *xattrKeep) { s.PrepSetxattr(k.path, k.name, k.value, flags) })
}

// Fgetxattr is IORING_OP_FGETXATTR: fgetxattr(2) into dst; the value is
// the attribute's length.
func Fgetxattr(fd int, name string, dst []byte) Op[int] {
	return xattrOp(ring.OpFgetxattr, "", name, dst, func(s *ring.SQE, k *xattrKeep) { s.PrepFgetxattr(int32(fd), k.name, k.value) })
}

// Getxattr is IORING_OP_GETXATTR: getxattr(2) into dst; the value is the
// attribute's length.
func Getxattr(path, name string, dst []byte) Op[int] {
	return xattrOp(ring.OpGetxattr, path, name, dst, func(s *ring.SQE, k *xattrKeep) { s.PrepGetxattr(k.path, k.name, k.value) })
}
