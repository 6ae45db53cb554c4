// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link BenchCommand}'s options as scripts/bench passes them, and its refusals (measuring nothing). */
class BenchCommandTest {
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private CommandLine line() {
        CommandLine cl = BenchCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(out));
        return cl;
    }

    @Test
    void theScriptsOutIsOverriddenByTheUsersOwn() {
        CommandLine cl = line();
        cl.parseArgs("--c-binary", "/x/send_floor", "--out", "/x", "--out", "elsewhere", "--only", "send|ebadf");
        BenchCommand c = cl.getCommand();
        assertEquals(Paths.get("elsewhere"), c.out);
        assertEquals(Paths.get("/x/send_floor"), c.cBinary);
        assertTrue(c.only.matcher("ebadf").find());
        assertTrue(!c.only.matcher("recvmmsg").find());
        assertNull(c.rounds);
    }

    @Test
    void helpListsTheOptionsAndMeasuresNothing() {
        assertEquals(0, line().execute("--help"));
        for (String option : new String[] {"--full", "--rounds", "--only", "--out", "--report-from"}) {
            assertTrue(out.toString().contains(option), option + " in\n" + out);
        }
    }

    @Test
    void refusalsSayWhatIsWrong() {
        assertEquals(2, line().execute("--rounds", "0", "--c-binary", "/nonexistent"));
        assertTrue(err.toString().contains("--rounds must be at least 3, not 0"), err.toString());
        assertEquals(2, line().execute("--rounds", "2", "--c-binary", "/nonexistent"));
        assertTrue(err.toString().contains("--rounds must be at least 3, not 2: a verdict's interval needs the "
                + "spread between rounds"), err.toString());
        assertEquals(2, line().execute("--out", "somewhere"));
        assertTrue(err.toString().contains("--c-binary is required"), err.toString());
        assertEquals(2, line().execute("--full", "--quick", "--c-binary", "/nonexistent"));
        assertTrue(err.toString().contains("--full and --quick exclude each other"), err.toString());
        assertEquals(2, line().execute("--bogus"));
        assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
    }
}
