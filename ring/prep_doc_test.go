package ring

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrepDocTemplate checks that every prep's doc comment follows the
// template: the opcode it prepares (or the prep it varies), what res means,
// the CQE flags, the first kernel, and the memory the kernel uses.
func TestPrepDocTemplate(t *testing.T) {
	files, err := filepath.Glob("prep_*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !strings.HasPrefix(fn.Name.Name, "Prep") || fn.Name.Name == "PrepRW" {
				continue
			}
			n++
			doc := strings.Join(strings.Fields(fn.Doc.Text()), " ")
			for _, want := range []string{"Res", "CQE flags", "Since", "Memory"} {
				if !strings.Contains(doc, want) {
					t.Errorf("%s: doc comment lacks %q: %s", fn.Name.Name, want, doc)
				}
			}
			if !strings.Contains(doc, "IORING_OP_") && !strings.Contains(doc, " is Prep") {
				t.Errorf("%s: doc comment names no opcode: %s", fn.Name.Name, doc)
			}
		}
	}
	if n < 63 {
		t.Errorf("found %d preps, want at least one per opcode", n)
	}
}
