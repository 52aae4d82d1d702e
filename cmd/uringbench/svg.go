package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
)

// writeSVGFile writes the ratio chart of rows to path.
func writeSVGFile(path string, rows []*row) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeSVG(f, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeSVG draws one horizontal bar per comparison: the median ratio
// uring/baseline on a linear axis, a dashed line at 1.0 (parity), the
// min..max range of the repetitions as a whisker, and the value printed
// beside the bar. Bars at or above parity are green, below are orange.
// Hand-written SVG 1.1, no dependencies, readable in any browser.
func writeSVG(out io.Writer, rows []*row) error {
	const (
		plotW  = 420
		rightW = 70
		barH   = 18
		gap    = 8
		top    = 40
		bottom = 36
	)
	name := func(r *row) string {
		return fmt.Sprintf("%s %s: %s vs %s", r.w.Name(), r.label, r.c.Uring, r.c.Baseline)
	}
	labelW := 200 // left column: workload, config, engines; about 7 px per character at 12 px
	for _, r := range rows {
		labelW = max(labelW, 16+7*len(name(r)))
	}
	maxRatio := 1.0
	for _, r := range rows {
		if _, _, hi, ok := r.ratio(); ok {
			maxRatio = math.Max(maxRatio, hi)
		}
	}
	axisMax := math.Ceil((maxRatio+0.2)*2) / 2 // room for the value labels, in steps of 0.5
	x := func(v float64) float64 { return float64(labelW) + v/axisMax*plotW }
	height := top + len(rows)*(barH+gap) + bottom
	width := labelW + plotW + rightW

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="20" font-size="14" font-weight="bold">uringbench: throughput ratio uring / baseline (higher is better for uring)</text>`+"\n", 8)

	// Grid and axis labels every 0.5.
	plotBottom := top + len(rows)*(barH+gap)
	for v := 0.0; v <= axisMax+1e-9; v += 0.5 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x(v), top-4, x(v), plotBottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%.1fx</text>`+"\n", x(v), plotBottom+16, v)
	}

	for i, r := range rows {
		y := top + i*(barH+gap)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelW-8, y+barH-5, html.EscapeString(name(r)))
		med, lo, hi, ok := r.ratio()
		if !ok {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#888">not measured</text>`+"\n", x(0)+4, y+barH-5)
			continue
		}
		color := "#2e8b57"
		if med < 1 {
			color = "#e07b00"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", x(0), y, x(med)-x(0), barH, color)
		if hi > lo {
			mid := y + barH/2
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>`+"\n", x(lo), mid, x(hi), mid)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>`+"\n", x(lo), mid-4, x(lo), mid+4)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>`+"\n", x(hi), mid-4, x(hi), mid+4)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.2fx</text>`+"\n", math.Max(x(med), x(hi))+6, y+barH-5, med)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4 3"/>`+"\n", x(1), top-4, x(1), plotBottom)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(out, b.String())
	return err
}
