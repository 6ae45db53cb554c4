// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * {@code --report DIR}: index.html with the verdict table and the charts, each chart also written as a PNG
 * beside it (and an earlier report's chart of a probe that drew none this time removed, so that the folder holds
 * this run's). The page embeds its images, so it stays whole when copied alone. XChart draws the charts; it is an
 * optional dependency, needed only here.
 */
final class HtmlReport {
    private static final int W = 800;
    private static final int H = 450;

    private HtmlReport() {
    }

    /** Writes the report; returns the page's path. */
    static Path write(Path dir, RunInfo info, List<ProbeResult> results) throws IOException {
        // Charts are drawn off screen: no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<String[]> images = new ArrayList<>();
        Set<String> drawn = new HashSet<>();
        for (ProbeResult r : results) {
            Chart<?, ?> chart = chart(r);
            if (chart == null) {
                continue;
            }
            String file = r.probe.name() + ".png";
            drawn.add(file);
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            Files.write(dir.resolve(file), png);
            images.add(new String[] {file, r.probe.number() + ". " + r.probe.title(),
                    Base64.getEncoder().encodeToString(png)});
        }
        // an earlier report's chart of a probe that drew none now would sit beside this page as if it were its own
        for (Probe p : Probes.all()) {
            if (!drawn.contains(p.name() + ".png")) {
                Files.deleteIfExists(dir.resolve(p.name() + ".png"));
            }
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>posix-send kernel probe")
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;"
                        + "vertical-align:top;text-align:left}.HOLDS{background:#d8f0d8}.DIFFERS{background:#f6e0b0}"
                        + ".INCONCLUSIVE{background:#e4e4f4}.ERROR{background:#f4c8c8}small{color:#555}"
                        + "img{max-width:100%}</style></head><body>\n<h1>posix-send kernel probe</h1>\n<p>")
                .append(esc(info.line())).append(", version ").append(esc(info.version))
                .append(info.hostLine().isEmpty() ? "" : "<br>host: " + esc(info.hostLine()))
                .append("</p>\n<p><small>");
        for (Map.Entry<String, Integer> e : info.socketBuffers.entrySet()) {
            h.append(esc(e.getKey())).append(' ').append(e.getValue()).append(" B; ");
        }
        for (Map.Entry<String, String> e : info.sysctls.entrySet()) {
            h.append(esc(e.getKey())).append(" = ").append(esc(e.getValue())).append("; ");
        }
        h.append("</small></p>\n<table>\n<tr><th>#</th><th>claim</th><th>verdict</th><th>measured</th></tr>\n");
        for (ProbeResult r : results) {
            Verdict v = r.outcome.verdict;
            h.append("<tr><td>").append(r.probe.number()).append("</td><td>").append(esc(r.probe.claim()))
                    .append("<br><small>rule: ").append(esc(r.probe.rule())).append("</small></td><td class=\"")
                    .append(v.name()).append("\">").append(v.name()).append("</td><td>")
                    .append(esc(r.outcome.measured));
            if (!r.outcome.reason.isEmpty()) {
                h.append("<br><small>why: ").append(esc(r.outcome.reason)).append("</small>");
            }
            if (!r.outcome.details.isEmpty()) {
                // folded, as the text report shows them only with --details; open where they say what went wrong
                h.append(v == Verdict.ERROR ? "<details open>" : "<details>")
                        .append("<summary><small>details</small></summary><small>").append(esc(r.outcome.details))
                        .append("</small></details>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<p>").append(esc(TextReport.tally(results))).append("</p>\n");
        for (String[] img : images) {
            h.append("<h2>").append(esc(img[1])).append("</h2>\n<p><img alt=\"").append(esc(img[1]))
                    .append("\" src=\"data:image/png;base64,").append(img[2]).append("\"><br><small>also ")
                    .append(esc(img[0])).append("</small></p>\n");
        }
        h.append("</body></html>\n");
        Path page = dir.resolve("index.html");
        Files.writeString(page, h, StandardCharsets.UTF_8);
        return page;
    }

    /** The chart for a probe that has one and measured its series, else null. */
    static Chart<?, ?> chart(ProbeResult r) {
        Map<String, double[]> s = r.outcome.series();
        if (s.isEmpty()) {
            return null;
        }
        switch (r.probe.name()) {
            case "buffer-fill":
                return bufferFill(s);
            case "nagle":
                return latency(s);
            case "batch-cost":
                return batchCost(s);
            case "msg-more":
                return holdBack(s);
            default:
                return null;
        }
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        return c;
    }

    private static XYChart bufferFill(Map<String, double[]> s) {
        XYChart c = xy("Bytes accepted as the send buffer fills (peer not reading)", "send call", "KiB accepted");
        for (Map.Entry<String, double[]> e : s.entrySet()) {
            double[] y = e.getValue();
            if (y.length == 0) {
                continue;
            }
            double[] x = new double[y.length];
            double[] kib = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                x[i] = i + 1;
                kib[i] = y[i] / 1024;
            }
            c.addSeries(e.getKey().replace(" (B)", ""), x, kib);
        }
        return c;
    }

    /** Each setting's exchange times as a distribution: the fraction of exchanges at or below each latency. */
    private static XYChart latency(Map<String, double[]> s) {
        XYChart c = xy("Write-write-read exchange time: Nagle stall", "exchange time (ms, log scale)",
                "fraction of exchanges at or below");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, double[]> e : s.entrySet()) {
            double[] v = e.getValue().clone();
            if (v.length == 0) {
                continue;
            }
            Arrays.sort(v);
            double[] x = new double[v.length];
            double[] y = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = Math.max(v[i], 1) / 1e6;
                y[i] = (i + 1) / (double) v.length;
            }
            c.addSeries(e.getKey().replace(" (ns)", ""), x, y);
        }
        return c;
    }

    private static XYChart batchCost(Map<String, double[]> s) {
        XYChart c = xy("Cost per datagram against batch size (1000-byte UDP datagrams)",
                "datagrams per call (log scale)", "us per datagram (median)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisMin(0.0);
        add(c, "send (1) and sendmmsg", s.get("batch size"), s.get("sendmmsg ns per datagram"));
        add(c, "send (1) and UDP_SEGMENT", s.get("udp_segment batch size"), s.get("udp_segment ns per datagram"));
        return c;
    }

    private static void add(XYChart c, String name, double[] x, double[] nanos) {
        if (x == null || nanos == null) {
            return;
        }
        double[] us = new double[nanos.length];
        for (int i = 0; i < us.length; i++) {
            us[i] = nanos[i] / 1e3;
        }
        c.addSeries(name, x, us).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    private static CategoryChart holdBack(Map<String, double[]> s) {
        double[] held = s.get("hold-back time (ns)");
        if (held == null || held.length == 0) {
            return null;
        }
        CategoryChart c = new CategoryChartBuilder().width(W).height(H)
                .title("MSG_MORE: how long TCP holds a lone 100-byte send").xAxisTitle("try")
                .yAxisTitle("held (ms)").build();
        c.getStyler().setLegendVisible(false);
        List<String> tries = new ArrayList<>();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            tries.add(String.format(Locale.ROOT, "%d", i + 1));
            ms.add(held[i] / 1e6);
        }
        c.addSeries("held", tries, ms);
        return c;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
