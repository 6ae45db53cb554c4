// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posixsend.internal.Backends;
import io.github.posixsend.internal.ConstantTable;
import io.github.posixsend.internal.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java tables against the compiled headers (what the JNI shim read when it loaded) and
 * against the team's facts sheet (a copy of {@code shared/notes/platform-facts.md} in the test resources), which is
 * the source for the NetBSD columns no header on this machine can confirm.
 */
class TablesTest {
    /** Stands for "-" (the platform has no such thing) in values parsed from the facts sheet. */
    private static final int UNSUPPORTED = ConstantTable.UNSUPPORTED;

    // ---- the compiled headers (JNI only) ---------------------------------------------------------------------

    private static void assumeHeaders() {
        assumeTrue(Posix.backendName().equals("jni"), "Platform.all() holds compiled header values only on the JNI"
                + " backend; the " + Posix.backendName() + " backend reports posix-send's own tables, so comparing"
                + " them with themselves would prove nothing");
    }

    private static Integer header(String name) {
        return Platform.all().get(name);
    }

    @Test
    void msgFlagsMatchTheHeaders() {
        assumeHeaders();
        Os os = Os.current();
        for (MsgFlag f : MsgFlag.values()) {
            Integer h = header(f.name());
            OptionalInt table = f.valueOn(os);
            assertEquals(h != null, f.isSupported(), f + ": isSupported() must say whether the header defines it");
            assertEquals(h != null, table.isPresent(), f + ": the " + os + " column disagrees with the header");
            if (h != null) {
                assertEquals(h.intValue(), table.getAsInt(), f + " on " + os);
                assertEquals(h.intValue(), f.value(), f.name());
            }
        }
    }

    @Test
    void errnoValuesMatchTheHeaders() {
        assumeHeaders();
        Os os = Os.current();
        for (Errno e : Errno.values()) {
            Integer h = header(e.name());
            assertEquals(h != null, e.isDefinedOn(os), e + ": the " + os + " column disagrees with <errno.h>");
            if (h != null) {
                assertEquals(h.intValue(), e.numberOn(os), e + " on " + os);
                assertEquals(h.intValue(), e.number(), e.name());
            } else {
                assertThrows(UnsupportedOperationException.class, e::number, e.name());
            }
        }
    }

    @Test
    void everyErrnoTheCLibraryDescribesHasAName() {
        // strerror knows every number <errno.h> defines; the numbers it calls unknown are the gaps
        int named = 0;
        for (int n = 1; n <= 1000; n++) {
            String text = Backends.current().strerror(n);
            boolean unknown = text.startsWith("Unknown error");
            Errno e = Errno.fromNumber(n);
            if (!unknown) {
                assertNotNull(e, "errno " + n + " (" + text + ") has no name in Errno");
                named++;
            }
        }
        assertTrue(named >= 90, "only " + named + " numbers described by strerror");
    }

    @Test
    void constantTableMatchesTheHeaders() {
        assumeHeaders();
        Os os = Os.current();
        int compared = 0;
        for (String name : ConstantTable.names()) {
            Integer h = header(name);
            int table = ConstantTable.value(name, os);
            assertEquals(h == null ? "absent" : "0x" + Integer.toHexString(h),
                    table == ConstantTable.UNSUPPORTED ? "absent" : "0x" + Integer.toHexString(table),
                    name + " on " + os);
            compared++;
        }
        assertTrue(compared > 60, "only " + compared + " constants compared");
    }

    @Test
    void everyHeaderValueHasATableRow() {
        assumeHeaders();
        Set<String> known = new HashSet<>();
        for (String n : ConstantTable.names()) {
            known.add(n);
        }
        for (MsgFlag f : MsgFlag.values()) {
            known.add(f.name());
        }
        for (Errno e : Errno.values()) {
            known.add(e.name());
        }
        known.add("PS_ABI_VERSION");
        for (String name : Platform.all().keySet()) {
            assertTrue(known.contains(name), name + " comes from the headers but no Java table has it");
        }
    }

    // ---- the running platform, on any backend ----------------------------------------------------------------

    @Test
    void posixConstantsAreThePlatformsValues() {
        Os os = Os.current();
        assertEquals(ConstantTable.value("AF_INET6", os), Posix.AF_INET6);
        assertEquals(ConstantTable.value("SOL_SOCKET", os), Posix.SOL_SOCKET);
        assertEquals(ConstantTable.value("SO_SNDBUF", os), Posix.SO_SNDBUF);
        assertEquals(ConstantTable.value("SHUT_WR", os), Posix.SHUT_WR);
        int cork = ConstantTable.value("TCP_CORK", os);
        assertEquals(cork == ConstantTable.UNSUPPORTED ? Posix.UNSUPPORTED : cork, Posix.TCP_CORK);
        assertEquals(cork != ConstantTable.UNSUPPORTED, Posix.isSupported(Posix.TCP_CORK));
        for (MsgFlag f : MsgFlag.values()) {
            assertEquals(f.valueOn(os).isPresent(), f.isSupported(), f.name());
        }
    }

    // ---- the facts sheet ---------------------------------------------------------------------------------------

    private static String facts() throws IOException {
        try (InputStream in = TablesTest.class.getResourceAsStream("/platform-facts.md")) {
            assertNotNull(in, "platform-facts.md is missing from the test resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text of the section whose heading starts with {@code heading}, up to the next heading. */
    private static String section(String text, String heading) {
        int start = text.indexOf("\n## " + heading);
        assertTrue(start >= 0, "no section " + heading + " in the facts sheet");
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** The cells of every table row (not header or rule) of a section. */
    private static List<String[]> rows(String section) {
        List<String[]> out = new ArrayList<>();
        for (String line : section.split("\n")) {
            line = line.trim();
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| flag")
                    || line.startsWith("| item")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].trim();
            }
            out.add(cells);
        }
        return out;
    }

    private static final Pattern NUMBER = Pattern.compile("^(0x[0-9a-fA-F]+|\\d+)");

    /** The leading number of a cell ("0x1001", "110, sun_path[108]; ...", "- (3 is ...)"), or UNSUPPORTED for "-". */
    private static int value(String cell) {
        String c = cell.trim();
        if (c.startsWith("-")) {
            return UNSUPPORTED;
        }
        Matcher m = NUMBER.matcher(c);
        assertTrue(m.find(), "no number in cell '" + cell + "'");
        return Integer.decode(m.group(1));
    }

    /**
     * A row naming several items at once ("MSG_BCAST / MSG_MCAST", "sockaddr_in / in6") has as many values in
     * each column, or one "-" for all.
     */
    private static Map<String, int[]> expand(String[] cells) {
        String[] names = cells[0].split(" / ");
        String[] linux = cells[1].split(" / ");
        String[] netbsd = cells[2].split(" / ");
        Map<String, int[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            int l = linux.length == 1 ? value(linux[0]) : value(linux[i]);
            int n = netbsd.length == 1 ? value(netbsd[0]) : value(netbsd[i]);
            if (names.length > 1 && (linux.length == 1 && l != UNSUPPORTED || netbsd.length == 1 && n != UNSUPPORTED)) {
                throw new AssertionError("row '" + cells[0] + "' has one value for several names");
            }
            out.put(names[i].trim(), new int[] {l, n});
        }
        return out;
    }

    private static Map<String, int[]> factsTable(String heading) throws IOException {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String[] cells : rows(section(facts(), heading))) {
            out.putAll(expand(cells));
        }
        return out;
    }

    private static int column(OptionalInt v) {
        return v.isPresent() ? v.getAsInt() : UNSUPPORTED;
    }

    @Test
    void msgFlagsMatchTheFactsSheet() throws IOException {
        Map<String, int[]> sheet = factsTable("MSG_* flags");
        assertEquals(MsgFlag.values().length, sheet.size(),
                "the sheet and MsgFlag list different flags: " + sheet.keySet());
        for (MsgFlag f : MsgFlag.values()) {
            int[] v = sheet.get(f.name());
            assertNotNull(v, f + " is not in the facts sheet");
            assertEquals(v[0], column(f.valueOn(Os.LINUX)), f + " on Linux");
            assertEquals(v[1], column(f.valueOn(Os.NETBSD)), f + " on NetBSD");
        }
    }

    @Test
    void receiveSideFlagsOfTheFactsSheetAreNotSendFlags() throws IOException {
        int checked = 0;
        for (String[] cells : rows(section(facts(), "MSG_* flags"))) {
            if (cells.length > 3 && cells[3].contains("receive side")) {
                for (String name : cells[0].split(" / ")) {
                    assertFalse(MsgFlag.valueOf(name.trim()).isSendFlag(), name);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 6, "only " + checked + " receive-side flags found in the sheet");
    }

    private static final Pattern ERRNO = Pattern.compile(
            "^([A-Z]+(?: = [A-Z]+)*) (\\d+)(?: \\([^)]*\\))?\\|(\\d+)(?: \\([^)]*\\))?$");

    @Test
    void errnoValuesMatchTheFactsSheet() throws IOException {
        String text = section(facts(), "errno");
        text = text.substring(0, text.indexOf("\n### ")); // the socket calls' errno values; the full list follows
        String body = text.substring(text.indexOf('\n', 1) + 1).replace('\n', ' ').trim();
        if (body.endsWith(".")) {
            body = body.substring(0, body.length() - 1);
        }
        Map<Errno, int[]> sheet = new EnumMap<>(Errno.class);
        for (String entry : body.split(", ")) {
            Matcher m = ERRNO.matcher(entry.trim());
            assertTrue(m.matches(), "cannot read errno entry '" + entry + "'");
            for (String name : m.group(1).split(" = ")) {
                sheet.put(Errno.valueOf(name), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
            }
        }
        assertTrue(sheet.size() >= 35, "only " + sheet.size() + " errno values read from the sheet");
        for (Map.Entry<Errno, int[]> e : sheet.entrySet()) {
            assertEquals(e.getValue()[0], e.getKey().numberOn(Os.LINUX), e.getKey() + " on Linux");
            assertEquals(e.getValue()[1], e.getKey().numberOn(Os.NETBSD), e.getKey() + " on NetBSD");
        }
    }

    private static final Pattern EVERY_ERRNO = Pattern.compile(
            "^([A-Z0-9]+) (\\d+|-)(?: \\([^)]*\\))?\\|(\\d+|-)(?: \\([^)]*\\))?$");

    /** The sheet's list of every errno each system defines, "-" read as UNSUPPORTED. */
    private static Map<String, int[]> everyErrnoOfTheSheet() throws IOException {
        String text = section(facts(), "errno");
        int start = text.indexOf("\n### Every errno");
        assertTrue(start >= 0, "the facts sheet has no list of every errno");
        StringBuilder body = new StringBuilder();
        for (String line : text.substring(start + 1).split("\n")) {
            if (line.contains("|") && !line.startsWith("#")) {
                body.append(line.trim()).append(' ');
            }
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String entry : body.toString().trim().split(", ")) {
            Matcher m = EVERY_ERRNO.matcher(entry.trim());
            assertTrue(m.matches(), "cannot read errno entry '" + entry + "'");
            int[] v = {m.group(2).equals("-") ? UNSUPPORTED : Integer.parseInt(m.group(2)),
                m.group(3).equals("-") ? UNSUPPORTED : Integer.parseInt(m.group(3))};
            int[] before = out.put(m.group(1), v);
            assertTrue(before == null || before[0] == v[0] && before[1] == v[1],
                    m.group(1) + " listed twice, differently");
        }
        return out;
    }

    @Test
    void errnoIsEveryErrnoOfTheFactsSheetWithItsNumbers() throws IOException {
        Map<String, int[]> sheet = everyErrnoOfTheSheet();
        assertTrue(sheet.size() >= 140, "only " + sheet.size() + " errno values read from the sheet");
        Set<String> names = new HashSet<>();
        for (Errno e : Errno.values()) {
            names.add(e.name());
            int[] v = sheet.get(e.name());
            assertNotNull(v, e + " is not in the facts sheet's list");
            assertEquals(v[0], e.isDefinedOn(Os.LINUX) ? e.numberOn(Os.LINUX) : UNSUPPORTED, e + " on Linux");
            assertEquals(v[1], e.isDefinedOn(Os.NETBSD) ? e.numberOn(Os.NETBSD) : UNSUPPORTED, e + " on NetBSD");
        }
        assertEquals(new HashSet<>(sheet.keySet()), names, "the sheet and Errno list different names");
    }

    @Test
    void constantsMatchTheFactsSheetStructureTable() throws IOException {
        // the sheet's row names and the ConstantTable names they stand for
        Map<String, String> rowToConstant = new LinkedHashMap<>();
        rowToConstant.put("SOL_SOCKET", "SOL_SOCKET");
        rowToConstant.put("SCM_RIGHTS", "SCM_RIGHTS");
        rowToConstant.put("SO_SNDBUF", "SO_SNDBUF");
        rowToConstant.put("SO_NOSIGPIPE", "SO_NOSIGPIPE");
        rowToConstant.put("TCP_CORK", "TCP_CORK");
        rowToConstant.put("IOV_MAX", "IOV_MAX");
        rowToConstant.put("sockaddr_in", "SIZEOF_SOCKADDR_IN");
        rowToConstant.put("in6", "SIZEOF_SOCKADDR_IN6");
        rowToConstant.put("sockaddr_un", "SIZEOF_SOCKADDR_UN");
        // other rows describe layouts in words; only rows naming one of these hold plain values
        Map<String, int[]> sheet = new LinkedHashMap<>();
        for (String[] cells : rows(section(facts(), "Structures"))) {
            for (String name : cells[0].split(" / ")) {
                if (rowToConstant.containsKey(name.trim())) {
                    sheet.putAll(expand(cells));
                    break;
                }
            }
        }
        for (Map.Entry<String, String> e : rowToConstant.entrySet()) {
            int[] v = sheet.get(e.getKey());
            assertNotNull(v, "the facts sheet has no row " + e.getKey() + ": " + sheet.keySet());
            assertEquals(v[0], ConstantTable.value(e.getValue(), Os.LINUX), e.getValue() + " on Linux");
            assertEquals(v[1], ConstantTable.value(e.getValue(), Os.NETBSD), e.getValue() + " on NetBSD");
        }
        // sun_path's size is written inside the sockaddr_un row: "110, sun_path[108]; ..."
        for (String[] cells : rows(section(facts(), "Structures"))) {
            if (cells[0].equals("sockaddr_un")) {
                assertEquals(sunPath(cells[1]), ConstantTable.value("SIZEOF_SUN_PATH", Os.LINUX));
                assertEquals(sunPath(cells[2]), ConstantTable.value("SIZEOF_SUN_PATH", Os.NETBSD));
            }
        }
    }

    // ---- NetBSD 10's headers ----------------------------------------------------------------------------------

    /**
     * The rows of {@code netbsd10-headers.tsv} (test resources): name, value ("-" read as UNSUPPORTED; libc.* rows may
     * also say true or false), and where NetBSD 10's headers say so.
     */
    static Map<String, String[]> netbsd10Headers() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (InputStream in = TablesTest.class.getResourceAsStream("/netbsd10-headers.tsv")) {
            assertNotNull(in, "netbsd10-headers.tsv is missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                assertEquals(3, cells.length, "not name, value and source: " + line);
                assertFalse(cells[2].isBlank(), cells[0] + " has no source");
                assertTrue(out.put(cells[0], cells) == null, cells[0] + " listed twice");
            }
        }
        return out;
    }

    private static int netbsdValue(String[] row) {
        return row[1].equals("-") ? UNSUPPORTED : Integer.decode(row[1]);
    }

    /** Every NetBSD value of the three tables is the one NetBSD 10's headers give, and every one was checked. */
    @Test
    void netbsdColumnsAreNetbsd10sHeaders() throws IOException {
        Map<String, String[]> sheet = netbsd10Headers();
        Set<String> pinned = new HashSet<>();
        for (String name : ConstantTable.names()) {
            String[] row = sheet.get(name);
            assertNotNull(row, name + " has a NetBSD value no header check covers");
            assertEquals(netbsdValue(row), ConstantTable.value(name, Os.NETBSD), name + " on NetBSD: " + row[2]);
            pinned.add(name);
        }
        for (MsgFlag f : MsgFlag.values()) {
            String[] row = sheet.get(f.name());
            assertNotNull(row, f + " has a NetBSD value no header check covers");
            assertEquals(netbsdValue(row), column(f.valueOn(Os.NETBSD)), f + " on NetBSD: " + row[2]);
            pinned.add(f.name());
        }
        for (Errno e : Errno.values()) {
            String[] row = sheet.get(e.name());
            assertNotNull(row, e + " has a NetBSD value no header check covers");
            assertEquals(netbsdValue(row), e.isDefinedOn(Os.NETBSD) ? e.numberOn(Os.NETBSD) : UNSUPPORTED,
                    e + " on NetBSD: " + row[2]);
            pinned.add(e.name());
        }
        for (String name : sheet.keySet()) {
            assertTrue(pinned.contains(name) || name.startsWith("libc."), name + " is in the sheet but in no table");
        }
        assertTrue(pinned.size() >= 350, "only " + pinned.size() + " NetBSD values pinned");
    }

    private static int sunPath(String cell) {
        Matcher m = Pattern.compile("sun_path\\[(\\d+)]").matcher(cell);
        assertTrue(m.find(), "no sun_path size in '" + cell + "'");
        return Integer.parseInt(m.group(1));
    }
}
