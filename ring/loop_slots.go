package ring

import "sync/atomic"

// slotTable maps a CQE's user_data back to its Request and is what keeps
// a Request (and through it everything the kernel reads or writes: SQE
// buffers, Keep, pinned objects) reachable for the garbage collector from
// Submit until the terminal CQE (DESIGN.md invariant 2). The kernel only
// holds integer addresses, which the GC does not see.
//
// user_data = ring<<56 | generation<<32 | slot index. The generation changes on every
// use of a slot, so a late CQE for a request the Loop already resolved
// (a skip-success request resolved by a later member of its chain) cannot
// be routed to the slot's next owner.
//
// Free slots form a lock-free stack whose head carries an ABA tag. There
// are as many slots as admission credits, so a submitter that holds
// credits always finds slots.
type slotTable struct {
	slots []slot
	head  atomic.Uint64 // tag<<32 | (index+1) of the first free slot
	ring  uint32        // WithRings: the ring's index<<genBits in every user_data (loop_rings.go)
}

// slot is one entry of the table, 64 bytes: one cache line of its own
// when the table is line-aligned (Go aligns allocations of 32 KiB and
// more, the default Loop's 960 slots, to pages). A slot is written by the
// submitter that takes it and by the dispatcher that frees it, usually on
// different cores, and sharing a line with the slots next to it made each
// of those writes also take the line from whoever was using a neighbour.
type slot struct {
	req  atomic.Pointer[Request]
	next atomic.Uint32 // free-list link: index+1 of the next free slot, 0 = end
	gen  uint32        // owned by whoever holds the slot
	// sel is the cohort the bound request counts in if its SQE has
	// IOSQE_BUFFER_SELECT, nil otherwise and while the slot is free
	// (loop_pbuf_release.go): set by Submit before bind, taken (takeSel)
	// when the request resolves or is kept for good. Here rather than in
	// the Request, whose 8 more bytes moved it from the 320-byte size
	// class to the 352-byte one.
	sel *pbufCohort
	_   [40]byte
}

// genBits: the generation's width in user_data; the 7 bits above it
// name the ring of a Loop over several rings (0 on one ring).
const genBits = 24

// internalTag marks the Loop's own SQEs in user_data: no slot has it.
const internalTag = 1 << 63

func (t *slotTable) init(n int) {
	t.slots = make([]slot, n)
	for i := 0; i < n-1; i++ {
		t.slots[i].next.Store(uint32(i + 2))
	}
	t.head.Store(1)
}

// bind publishes r in the slot take gave it: a lookup of r.ud finds r,
// and sees every write made before bind (r's fields, and for a group every
// member's, so bind the members only after all of them were taken).
func (t *slotTable) bind(r *Request) {
	t.slots[uint32(r.ud)].req.Store(r)
}

// take pops a free slot for r, sets r.ud and returns it; the slot is not
// bound yet (lookup finds nothing until bind).
func (t *slotTable) take(r *Request) uint64 {
	for {
		h := t.head.Load()
		idx := uint32(h)
		if idx == 0 {
			panic("uring loop: slot table exhausted despite admission credits")
		}
		nxt := t.slots[idx-1].next.Load()
		if t.head.CompareAndSwap(h, (h>>32+1)<<32|uint64(nxt)) {
			i := idx - 1
			sl := &t.slots[i]
			sl.gen = (sl.gen + 1) & (1<<genBits - 1)
			r.ud = uint64(sl.gen|t.ring)<<32 | uint64(i)
			return r.ud
		}
	}
}

// takeSel returns the buffer-select cohort of user_data's request (nil if
// none) and clears it.
func (t *slotTable) takeSel(ud uint64) *pbufCohort {
	sl := &t.slots[uint32(ud)]
	c := sl.sel
	if c != nil {
		sl.sel = nil
	}
	return c
}

// lookup returns the Request bound to user_data, or nil if the slot moved
// on (a stale CQE).
func (t *slotTable) lookup(ud uint64) *Request {
	i := uint32(ud)
	if ud&internalTag != 0 || int(i) >= len(t.slots) {
		return nil
	}
	r := t.slots[i].req.Load()
	if r == nil || r.ud != ud {
		return nil
	}
	return r
}

// put frees the slot of user_data.
func (t *slotTable) put(ud uint64) {
	i := uint32(ud)
	t.slots[i].req.Store(nil)
	for {
		h := t.head.Load()
		t.slots[i].next.Store(uint32(h))
		if t.head.CompareAndSwap(h, (h>>32+1)<<32|uint64(i+1)) {
			return
		}
	}
}

// freeList is a chain of slots freed by the dispatcher during one reap
// and not yet back on the free stack: pushing them with one CAS instead
// of one each keeps the stack's head line, which the submitters on the
// other core take slots from, from moving back and forth per CQE.
type freeList struct {
	first uint32 // index+1 of the chain's first slot, 0 = empty
	last  uint32 // index of its last slot
}

// unbind frees the slot of user_data onto fl: a lookup finds nothing in
// it from now on, and it is taken again only after putList.
func (t *slotTable) unbind(ud uint64, fl *freeList) {
	i := uint32(ud)
	t.slots[i].req.Store(nil)
	if fl.first == 0 {
		fl.last = i
	}
	t.slots[i].next.Store(fl.first)
	fl.first = i + 1
}

// putList pushes fl's slots onto the free stack and empties fl.
func (t *slotTable) putList(fl *freeList) {
	if fl.first == 0 {
		return
	}
	for {
		h := t.head.Load()
		t.slots[fl.last].next.Store(uint32(h))
		if t.head.CompareAndSwap(h, (h>>32+1)<<32|uint64(fl.first)) {
			*fl = freeList{}
			return
		}
	}
}

// each calls fn for every bound Request.
func (t *slotTable) each(fn func(*Request)) {
	for i := range t.slots {
		if r := t.slots[i].req.Load(); r != nil {
			fn(r)
		}
	}
}
