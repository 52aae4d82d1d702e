package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// mover copies one block [off, off+n) of the source to the same offset of
// the destination with one linked chain, through slot's own buffer (a
// registered buffer, or a pipe): qd slots, one chain in flight on each.
type mover interface {
	// start submits slot's chain for [off, off+n).
	start(slot int, off int64, n int) error
	// finish waits for slot's chain and copies whatever a short transfer
	// left (a signal, the source shrinking): it returns n, or an error.
	finish(slot int) (int64, error)
	// drain waits for slot's chain, if any, ignoring its outcome: after an
	// error, so that no buffer is in use when cp returns.
	drain(slot int)
	// close releases the slots' buffers or pipes.
	close()
}

// files names the two files for errors.
type files struct {
	sfd, dfd         int
	srcName, dstName string
}

func (f files) readErr(err error) error { return &os.PathError{Op: "read", Path: f.srcName, Err: err} }
func (f files) writeErr(err error) error {
	return &os.PathError{Op: "write", Path: f.dstName, Err: err}
}

func copyFile(loop *ring.Loop, srcName, dstName string, o options) error {
	sys := uringos.On(loop)
	src, err := sys.Open(srcName)
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", srcName)
	}
	// Like coreutils cp, a directory DST means DST/base(SRC).
	if di, err := sys.Stat(dstName); err == nil && di.IsDir() {
		dstName = filepath.Join(dstName, filepath.Base(srcName))
	}
	// Truncate only once DST is known not to be SRC: O_TRUNC would empty
	// SRC before the copy read it.
	dst, err := sys.OpenFile(dstName, os.O_WRONLY|os.O_CREATE, info.Mode().Perm())
	if err != nil {
		return err
	}
	defer dst.Close()
	dinfo, err := dst.Stat()
	if err != nil {
		return err
	}
	if uringos.SameFile(info, dinfo) {
		return fmt.Errorf("%s and %s are the same file", srcName, dstName)
	}
	if !dinfo.Mode().IsRegular() {
		// A device or a pipe (cp SRC /dev/null): nothing to allocate,
		// write back or fsync.
		o.prealloc, o.writeback, o.fsync = false, 0, false
	} else if dinfo.Size() > 0 {
		// Only a file that has bytes: ext4 takes a truncate to 0 as
		// "replace via truncate" (auto_da_alloc) and writes the file back
		// when it is closed, which a new file does not need.
		if err := dst.Truncate(0); err != nil {
			return err
		}
	}
	size := info.Size()
	f := files{int(src.Fd()), int(dst.Fd()), srcName, dstName}
	ctx := context.Background()

	// Tell the kernel SRC is read front to back (POSIX_FADV_SEQUENTIAL, as
	// coreutils cp does): a larger readahead window when SRC is not in the
	// page cache, where the chains' reads at qd offsets at once would
	// otherwise find little read ahead (cold 256 MiB source: 0.19-0.21 s
	// instead of 0.20-0.35 s, README.md). A hint: errors are ignored.
	future.Fadvise(f.sfd, 0, 0, posixFadvSequential).Await(ctx, loop)
	if o.prealloc && size > 0 {
		// Allocate DST's blocks in one go (as unwritten extents: they read
		// as zeros until written), so neither the writes nor the writeback
		// allocate block by block (ext4's delayed allocation). KEEP_SIZE
		// leaves the size to the writes, so a copy that fails part-way is
		// as long as what it copied. A hint: a file system without
		// fallocate says EOPNOTSUPP, and a real shortage of space shows up
		// again in the writes.
		future.Fallocate(f.dfd, fallocFlKeepSize, 0, size).Await(ctx, loop)
	}

	bs := o.bs
	qd := int(min(int64(o.qd), (size+int64(bs)-1)/int64(bs)))
	var m mover
	if qd > 0 {
		if o.splice {
			m, bs, err = newSpliceMover(ctx, loop, f, bs, qd)
		} else {
			m, err = newRWMover(ctx, loop, f, bs, qd)
		}
		if err != nil {
			return err
		}
		defer m.close()
	}

	var wb *writeback
	var wbFrom int64 // [0, wbFrom) handed to wb
	if o.writeback > 0 {
		wb = startWriteback(ctx, loop, f.dfd)
		defer func() {
			if wb != nil {
				wb.stop()
			}
		}()
	}

	var next, done int64
	busy := make([]bool, qd)
	drain := func() {
		for i := range qd {
			if busy[i] {
				m.drain(i)
			}
		}
	}
	for i := range qd {
		n := int(min(int64(bs), size-next))
		if err := m.start(i, next, n); err != nil {
			drain()
			return err
		}
		busy[i] = true
		next += int64(n)
	}
	// The slots finish in the order they started, so [0, done) is copied.
	for i := 0; done < size; i = (i + 1) % qd {
		k, err := m.finish(i)
		busy[i] = false
		if err != nil {
			drain()
			return err
		}
		done += k
		if wb != nil && done-wbFrom >= o.writeback {
			wb.advance(done)
			wbFrom = done
		}
		if o.bar != nil {
			o.bar(done, size)
		}
		if next < size {
			n := int(min(int64(bs), size-next))
			if err := m.start(i, next, n); err != nil {
				drain()
				return err
			}
			busy[i] = true
			next += int64(n)
		}
	}
	if o.bar != nil {
		o.bar(size, size)
	}
	if wb != nil {
		wb.stop()
		wb = nil
	}
	if o.fsync {
		if _, err := future.Fsync(f.dfd).Await(ctx, loop); err != nil {
			return &os.PathError{Op: "sync", Path: dstName, Err: err}
		}
	}
	return dst.Close()
}

// posixFadvSequential is POSIX_FADV_SEQUENTIAL (include/uapi/linux/fadvise.h).
const posixFadvSequential = 2

// fallocFlKeepSize is FALLOC_FL_KEEP_SIZE (include/uapi/linux/falloc.h).
const fallocFlKeepSize = 1

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE (include/uapi/linux/fs.h):
// start writeback of the range's dirty pages without waiting for it.
const syncFileRangeWrite = 2

// writeback starts writeback of the copy's finished prefix while the copy
// goes on, so the disk writes while the next blocks are copied and the
// final fsync finds little left. One IORING_OP_SYNC_FILE_RANGE is in
// flight at a time (the kernel runs it in an io-wq worker, off the copy's
// path; it returns once the pages are queued for the disk, but it can
// block while the device's queue is full): a goroutine issues it for
// everything finished since the last one, so a slow disk never stalls the
// copy and its hints coalesce.
type writeback struct {
	mu     sync.Mutex
	target int64         // [0, target) is copied and may be written back
	kick   chan struct{} // target moved (capacity 1: kicks coalesce)
	done   chan struct{} // closed when the goroutine has returned
}

func startWriteback(ctx context.Context, loop *ring.Loop, fd int) *writeback {
	w := &writeback{kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		var from int64
		for range w.kick {
			w.mu.Lock()
			end := w.target
			w.mu.Unlock()
			for from < end {
				n := min(end-from, 1<<30) // the length is 32 bits in the SQE
				// Errors are the fsync's to report: it returns any failed
				// writeback of the file (errseq) and is the durability check.
				future.SyncFileRange(fd, from, uint32(n), syncFileRangeWrite).Await(ctx, loop)
				from += n
			}
		}
	}()
	return w
}

// advance says [0, end) is copied.
func (w *writeback) advance(end int64) {
	w.mu.Lock()
	w.target = end
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// stop waits for the hint in flight and ends the goroutine.
func (w *writeback) stop() {
	close(w.kick)
	<-w.done
}

// rwMover copies with IORING_OP_READ_FIXED linked to IORING_OP_WRITE_FIXED
// on one registered buffer per slot.
type rwMover struct {
	ctx   context.Context
	loop  *ring.Loop
	f     files
	bufs  [][]byte
	slots []rwSlot
}

type rwSlot struct {
	off   int64
	n     int
	c     *chain.Chain
	read  chain.Step[int]
	write chain.Step[int]
}

func newRWMover(ctx context.Context, loop *ring.Loop, f files, bs, qd int) (*rwMover, error) {
	// The registered buffers: pinned by the kernel once, so each read and
	// write skips the per-op page mapping (IORING_REGISTER_BUFFERS).
	bufs := make([][]byte, qd)
	for i := range bufs {
		bufs[i] = make([]byte, bs)
	}
	if err := loop.Do(func(r *ring.Ring) error { return r.RegisterBuffers(bufs) }); err != nil {
		return nil, fmt.Errorf("registering buffers: %w", err)
	}
	return &rwMover{ctx: ctx, loop: loop, f: f, bufs: bufs, slots: make([]rwSlot, qd)}, nil
}

func (m *rwMover) start(i int, off int64, n int) error {
	s := &m.slots[i]
	buf := m.bufs[i][:n]
	s.off, s.n, s.c = off, n, chain.New()
	s.read = chain.Add(s.c, future.Read(m.f.sfd, buf, off).FixedBuffer(uint16(i)))
	s.write = chain.Add(s.c, future.Write(m.f.dfd, buf, off).FixedBuffer(uint16(i)))
	return s.c.Submit(m.ctx, m.loop)
}

// finish: a short read breaks the link and cancels the write; then the
// part read is written and the rest copied one op at a time.
func (m *rwMover) finish(i int) (int64, error) {
	s := &m.slots[i]
	got, _, whole, err := m.f.linkResult(m.ctx, s.read, s.write, s.n)
	if whole || err != nil {
		return int64(got), err
	}
	// The whole of buf[:got] is written again: a short or cancelled write
	// leaves the buffer as the read filled it.
	return m.copyRest(m.bufs[i], s.off, got, s.n)
}

// linkResult awaits one slot's link of two ops that move the same n bytes,
// in (SRC to a buffer or pipe) then out (to DST). whole reports that out
// moved all n (got is n). Otherwise in moved got bytes and out put of them
// (0 if the short in broke the link and cancelled out, or the Loop
// closed), and err is a real error of either, as a *PathError.
func (f files) linkResult(ctx context.Context, in, out chain.Step[int], n int) (got, put int, whole bool, err error) {
	put, werr := out.Await(ctx)
	if werr == nil && put == n {
		return n, n, true, nil
	}
	got, rerr := in.Await(ctx)
	if rerr != nil {
		return 0, 0, false, f.readErr(rerr)
	}
	if werr != nil {
		if !errors.Is(werr, ring.ErrClosed) && !isCancelled(werr) {
			return 0, 0, false, f.writeErr(werr)
		}
		put = 0
	}
	return got, put, false, nil
}

// copyRest writes buf[:got] at off and copies the rest of [off, off+n)
// one read and one write at a time.
func (m *rwMover) copyRest(buf []byte, off int64, got, n int) (int64, error) {
	total := int64(0)
	for {
		for w := 0; w < got; {
			k, err := future.Write(m.f.dfd, buf[w:got], off+int64(w)).Await(m.ctx, m.loop)
			if err != nil {
				return total, m.f.writeErr(err)
			}
			w += k
		}
		total += int64(got)
		off += int64(got)
		n -= got
		if n == 0 {
			return total, nil
		}
		k, err := future.Read(m.f.sfd, buf[:n], off).Await(m.ctx, m.loop)
		if err != nil {
			return total, m.f.readErr(err)
		}
		if k == 0 {
			return total, fmt.Errorf("%s: shrank while being copied", m.f.srcName)
		}
		got = k
	}
}

func (m *rwMover) drain(i int) { m.slots[i].c.Wait(context.Background()) }

// close unregisters the buffers; every chain has finished by then.
func (m *rwMover) close() {
	m.loop.Do(func(r *ring.Ring) error { return r.UnregisterBuffers() })
}

func isCancelled(err error) bool {
	var ce *chain.CancelledError
	return errors.As(err, &ce)
}
