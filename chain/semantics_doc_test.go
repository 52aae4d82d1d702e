package chain_test

const semanticsHeader = `# Chain semantics: what each step of a chain reports

Generated from ` + "`chain/semantics_test.go`" + ` (` + "`go test ./chain -run SemanticsDoc -update`" + `);
every row is run on the kernel by ` + "`TestSemantics`" + `, so the table cannot drift from the code.
Rows marked with a reference number are the cases of section 7.2 of the project's notes on
the kernel interface (kept with the project, not in this module), observed on Linux 6.18 with
raw syscalls; "new" rows extend them.

Notation: ` + "`A|LINK → B`" + ` means A carries IOSQE_IO_LINK to B; SKIP is
IOSQE_CQE_SKIP_SUCCESS; a LINK_TIMEOUT guards the step right before it. Outcomes are
` + "`chain.Result`" + ` values: *completed (res)*, *short (res)*: fewer bytes than asked, which
breaks a soft link; *failed (errno)*; *timed out*: the step's linked timeout fired
(` + "`errors.Is(err, os.ErrDeadlineExceeded)`" + `); *cancelled by step k*: the kernel gave the step
-ECANCELED because step k broke the chain (` + "`*chain.CancelledError`" + `).

`

const semanticsFooter = `
## Rules the table shows

1. A soft link breaks on any failure, a short transfer (res ≥ 0 but not the requested length)
   and a TIMEOUT that expires without ETIME_SUCCESS. Every later step, hard-linked or not, gets
   -ECANCELED.
2. A hard link survives run-time failures (case 2, hardlink after a short read, a hard-linked
   step's linked timeout), but not a failure at submission: an invalid SQE anywhere fails the
   whole chain, including the steps before it (case 2b and the last row).
3. A linked timeout applies to the one step before it. When it fires that step fails with
   -ECANCELED (reported as timed out) and, unless the step is hard-linked, the rest is
   cancelled. ETIME_SUCCESS on a linked timeout changes nothing (row 7).
4. With skip-success the kernel posts no CQE for a successful step, and none at all for the
   steps after a skip-success step that failed (row 9c). The Loop resolves those requests; the
   chain reports them exactly as if the CQEs had come.
5. Not offered by the chain API, on purpose: skip-success on a linked timeout (case 9e: the
   deadline would be invisible), skip-success on a hard-linked step
   (` + "`chain.ErrSkipSuccessHardlink`" + `: the CQEs that arrive depend on whether the failure
   happens at submission or run time), drain together with skip-success
   (` + "`chain.ErrDrainSkipSuccess`" + `, case 11: the kernel fails drained requests with EOPNOTSUPP once
   the ring has seen skip-success). A skip-success last step gets a trailing NOP (one more SQE)
   whose CQE says the step succeeded.
6. Case 14 of the reference (a step blocked inside an io-wq worker, e.g. opening a FIFO) is not
   a row: on 6.18 its linked timeout does not fire at all. ` + "`timeout.Await`" + ` therefore keeps a
   user-space backstop (` + "`timeout.Grace`" + `) after a context deadline.
7. Found by the fuzzer (` + "`fuzz/`" + `), not in the reference: a DRAIN on a chain member after the
   first makes the kernel force the whole chain into io-wq (io_init_drain sets
   REQ_F_FORCE_ASYNC on the head), where a READ from an empty pipe blocks and its linked timeout
   never fires: ` + "`NOP|LINK → READ(pipe)|LINK → LINK_TIMEOUT 1 ms|LINK → NOP|DRAIN`" + ` posted only
   the first CQE in 10 s. Since the kernel drains the whole chain either way, the chain puts
   IOSQE_IO_DRAIN on its first SQE, whichever step asked for it.
8. Also found by the fuzzer: after a skip-success member fails, the kernel suppresses the later
   CQEs only if that member failed *itself*. A skip-success member that was cancelled because an
   earlier member failed (or because the chain failed at submission) posts its -ECANCELED and
   every later member still posts. The Loop resolves suppressed requests only in the first case
   (` + "`ring/loop_group.go`" + `, rule 2).
`
