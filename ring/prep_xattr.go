package ring

// Extended-attribute family: FSETXATTR, SETXATTR, FGETXATTR, GETXATTR.
// name and path are NUL-terminated strings (see PathBytes); the value is a
// byte slice whose length is the size given to the kernel.

// PrepFsetxattr prepares IORING_OP_FSETXATTR: fsetxattr(2) of name to value
// on fd, XATTR_* flags. Res: 0. CQE flags: none. Since 5.19.
// Memory: name and value until the CQE.
func (s *SQE) PrepFsetxattr(fd int32, name *byte, value []byte, flags uint32) {
	*s = SQE{Opcode: OpFsetxattr, Fd: fd, Addr: ptrAddr(name), Off: addrOf(value), Len: lenOf(value), OpFlags: flags}
}

// PrepSetxattr prepares IORING_OP_SETXATTR: setxattr(2) of name to value on
// path, XATTR_* flags. Res: 0. CQE flags: none. Since 5.19.
// Memory: path, name and value until the CQE.
func (s *SQE) PrepSetxattr(path, name *byte, value []byte, flags uint32) {
	*s = SQE{Opcode: OpSetxattr, Addr: ptrAddr(name), Off: addrOf(value), Len: lenOf(value), OpFlags: flags, Addr3: ptrAddr(path)}
}

// PrepFgetxattr prepares IORING_OP_FGETXATTR: fgetxattr(2) of name on fd
// into value (empty value: ask for the size).
// Res: the value's length. CQE flags: none. Since 5.19.
// Memory: name and value until the CQE.
func (s *SQE) PrepFgetxattr(fd int32, name *byte, value []byte) {
	*s = SQE{Opcode: OpFgetxattr, Fd: fd, Addr: ptrAddr(name), Off: addrOf(value), Len: lenOf(value)}
}

// PrepGetxattr prepares IORING_OP_GETXATTR: getxattr(2) of name on path
// into value. Res: the value's length. CQE flags: none. Since 5.19.
// Memory: path, name and value until the CQE.
func (s *SQE) PrepGetxattr(path, name *byte, value []byte) {
	*s = SQE{Opcode: OpGetxattr, Addr: ptrAddr(name), Off: addrOf(value), Len: lenOf(value), Addr3: ptrAddr(path)}
}
