package uringos_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/uringkit/uring/uringos"
)

// TestConcurrentUse: goroutines share one File (ReadAt and WriteAt of
// disjoint ranges, some longer than ChunkSize) and one Sys (LstatAll,
// ReadFiles) on every Loop configuration; every result is checked.
func TestConcurrentUse(t *testing.T) {
	for cfg, s := range loops(t) {
		t.Run(cfg, func(t *testing.T) {
			dir := t.TempDir()
			const pieces, size = 8, uringos.ChunkSize/2 + 1000
			f, err := s.Create(filepath.Join(dir, "shared"))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for i := range 40 {
				n := filepath.Join(dir, fmt.Sprintf("s%d", i))
				os.WriteFile(n, []byte(n), 0o644)
				names = append(names, n)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 4*pieces)
			for g := range pieces {
				wg.Add(2)
				go func() { // writer, then reader, of piece g
					defer wg.Done()
					data := pattern(size, uint64(g))
					off := int64(g) * size
					if n, err := f.WriteAt(data, off); n != size || err != nil {
						errs <- fmt.Errorf("WriteAt piece %d: %d, %v", g, n, err)
						return
					}
					got := make([]byte, size)
					if n, err := f.ReadAt(got, off); n != size || err != nil || !bytes.Equal(got, data) {
						errs <- fmt.Errorf("ReadAt piece %d: %d, %v, equal %v", g, n, err, bytes.Equal(got, data))
					}
				}()
				go func() { // batch calls on the same Loop meanwhile
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(g), 1))
					sub := names[r.IntN(10):]
					infos, ierrs := s.LstatAll(sub)
					data, rerrs := s.ReadFiles(sub)
					for i, n := range sub {
						if ierrs[i] != nil || infos[i].Size() != int64(len(n)) || rerrs[i] != nil || string(data[i]) != n {
							errs <- fmt.Errorf("batch %s: %v %v %q", n, ierrs[i], rerrs[i], data[i])
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if fi, err := f.Stat(); err != nil || fi.Size() != pieces*size {
				t.Errorf("Stat: %v, %v; want size %d", fi, err, pieces*size)
			}
			if err := f.Close(); err != nil {
				t.Error(err)
			}
		})
	}
}
