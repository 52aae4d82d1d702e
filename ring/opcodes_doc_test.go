package ring

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// docs/opcodes.md is generated from opTable, so the documentation cannot
// drift from the code: TestDocsOpcodesTable fails when the file differs from what
// the table produces. Regenerate with
//
//	go generate ./ring   (or: go test ./ring -run TestDocsOpcodesTable -update-opcodes-doc)

var updateOpcodesDoc = flag.Bool("update-opcodes-doc", false, "rewrite ../docs/opcodes.md from the opcode facts table")

const opcodesDocPath = "../docs/opcodes.md"

func TestDocsOpcodesTable(t *testing.T) {
	want := opcodesDoc()
	if *updateOpcodesDoc {
		if err := os.WriteFile(opcodesDocPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(opcodesDocPath)
	if err != nil {
		t.Fatalf("%v (generate it with go generate ./ring)", err)
	}
	if string(got) != want {
		t.Errorf("%s is stale: regenerate it with go generate ./ring", opcodesDocPath)
	}
}

var cqeFlagNames = [...]string{0: "F_BUFFER", 1: "F_MORE", 2: "F_SOCK_NONEMPTY", 3: "F_NOTIF", 4: "F_BUF_MORE", 5: "F_SKIP", 15: "F_32"}

func cqeFlagsString(f uint32) string {
	if f == 0 {
		return "none"
	}
	var names []string
	for i, n := range cqeFlagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// opcodesDoc renders docs/opcodes.md from opTable.
func opcodesDoc() string {
	var b strings.Builder
	b.WriteString(`# Opcodes

<!-- Generated from the facts table in ring/opcode.go by TestDocsOpcodesTable; do not edit.
     Regenerate with: go generate ./ring -->

Every opcode Linux 6.18 implements (63: NOP = 0 through PIPE = 62) has a prep
method on ` + "`*ring.SQE`" + `. Each prep assigns a complete SQE, so nothing from an
earlier use of the slot survives; its doc comment gives the syscall it
matches, what ` + "`res`" + ` means, the CQE flags it can set, the first kernel and
which memory must stay alive until which CQE. Variants (multishot, direct
descriptors, bundles, zero-copy, update forms, cancel criteria) are preps of
their own; per-opcode ioprio flags (` + "`AcceptDontwait`, `AcceptPollFirst`, `RecvSendPollFirst`" + `,
...) are added with ` + "`SQE.SetIoPrio`" + `.

SQE flags on any prep: ` + "`SetFixedFile`, `SetBufferSelect(group)`, `SetAsync`, `SetLink`,\n`SetHardlink`, `SetDrain`, `SetCQESkipSuccess`" + ` (and ` + "`SetFlags`, `SetUserData`,\n`SetPersonality`" + `).

An opcode the running kernel lacks is refused before submission by
` + "`Ring.CheckOp`" + `, whose ` + "`*NotSupportedError`" + ` names the opcode and the kernel
that added it (the "Since" column).

Columns: **SQE fields** are the fields of ` + "`ring.SQE`" + ` the preps may set (besides
flags, user_data and personality), checked by ` + "`TestPrepFieldsMatchFacts`" + `;
every prep's whole SQE is compared with the expected value by
` + "`TestPrepWholeSQE`" + `. **Proven by** is the subtest of ` + "`go test ./ring -run TestOpcodes -v`" + `
that shows the operation's effect on the running kernel; it also fails if
the kernel sets a CQE flag the **CQE flags** column does not list.
` + "`TestRingConfigsOpcodes`" + ` runs the same subtests on SQPOLL,
SINGLE_ISSUER|DEFER_TASKRUN and COOP_TASKRUN|TASKRUN_FLAG rings. A
negative ` + "`res`" + ` is always ` + "`-errno`" + `.

| Opcode | Value | Since | Preps | SQE fields | res | CQE flags | Proven by |
|---|---|---|---|---|---|---|---|
`)
	for op := Op(0); op < OpLast; op++ {
		f := opTable[op]
		preps := make([]string, len(f.preps))
		for i, p := range f.preps {
			preps[i] = "`" + p + "`"
		}
		row := []string{
			"IORING_OP_" + f.name,
			itoa(int64(op)),
			f.kernel.String(),
			strings.Join(preps, ", "),
			strings.ReplaceAll(f.fields.String(), "|", ", "),
			f.res,
			cqeFlagsString(f.cqeFlags),
			"`TestOpcodes/" + f.name + "`: " + f.proof,
		}
		for i := range row {
			row[i] = strings.ReplaceAll(row[i], "|", `\|`) // a bare | would split the cell
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	return b.String()
}
