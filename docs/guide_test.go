// Package docs holds the documentation's tests: every Go snippet in
// guide.md must compile against the current API.
package docs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goBlock matches a fenced Go code block of guide.md.
var goBlock = regexp.MustCompile("(?ms)^```go\n(.*?)^```\n")

// prelude is the top of the generated file: the packages snippets use,
// each referred to once so that an unused import is not an error.
const prelude = `package snippets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
	"github.com/uringkit/uring/uringnet"
	"github.com/uringkit/uring/uringos"
	"golang.org/x/sys/unix"
)

var (
	_ = context.Background
	_ = errors.New
	_ = fmt.Println
	_ = io.EOF
	_ fs.FS
	_ = os.Open
	_ = runtime.GOMAXPROCS
	_ = syscall.EINVAL
	_ = time.Second
	_ = chain.New
	_ = future.Nop
	_ = ring.New
	_ = timeout.After
	_ = uringos.Open
	_ = uringnet.Listen
	_ = http.Serve
	_ = unix.AT_FDCWD
)
`

// fragmentParams are the names a fragment may use without declaring them.
const fragmentParams = "ctx context.Context, loop *ring.Loop, fd, src, dst, lfd int, buf, data []byte"

// TestGuideSnippetsCompile extracts every ```go block of guide.md and
// builds them: a block that starts with a declaration (func, type, var,
// const) as top-level code, any other as the body of a function whose
// parameters are fragmentParams, with every variable it declares marked
// used (a fragment often shows a value without using it).
func TestGuideSnippetsCompile(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build the snippets with")
	}
	md, err := os.ReadFile("guide.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(md, -1)
	if len(blocks) < 10 {
		t.Fatalf("found %d Go blocks in guide.md; the pattern or the guide is broken", len(blocks))
	}
	var src strings.Builder
	src.WriteString(prelude)
	for i, b := range blocks {
		code := string(b[1])
		if isTopLevel(code) {
			fmt.Fprintf(&src, "\n// block %d\n%s", i+1, code)
			continue
		}
		body, err := markUsed(code)
		if err != nil {
			t.Errorf("block %d does not parse: %v\n%s", i+1, err, code)
			continue
		}
		fmt.Fprintf(&src, "\n// block %d\nfunc block%d(%s) error {\n%s\nreturn nil\n}\n", i+1, i+1, fragmentParams, body)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "snippets.go")
	if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", os.DevNull, file)
	cmd.Dir = ".." // the module root: imports resolve to this checkout
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("guide.md snippets do not compile: %v\n%s\ngenerated file:\n%s", err, out, numbered(src.String()))
	}
}

// isTopLevel reports whether code's first line that is not a comment
// starts a declaration.
func isTopLevel(code string) bool {
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		for _, kw := range []string{"func ", "type ", "var ", "const ", "package "} {
			if strings.HasPrefix(line, kw) {
				return true
			}
		}
		return false
	}
	return false
}

// markUsed appends "_ = x" for every variable the fragment declares with
// := at its top level.
func markUsed(code string) (string, error) {
	wrapped := "package p\nfunc f() {\n" + code + "\n}\n"
	f, err := parser.ParseFile(token.NewFileSet(), "", wrapped, 0)
	if err != nil {
		return "", err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	seen := map[string]bool{}
	var uses []string
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, lhs := range as.Lhs {
			if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" && !seen[id.Name] {
				seen[id.Name] = true
				uses = append(uses, "_ = "+id.Name)
			}
		}
	}
	return code + "\n" + strings.Join(uses, "\n"), nil
}

func numbered(s string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = fmt.Sprintf("%4d  %s", i+1, lines[i])
	}
	return strings.Join(lines, "\n")
}
