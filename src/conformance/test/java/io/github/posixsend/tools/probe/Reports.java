// SPDX-License-Identifier: Apache-2.0
// Copyright the posix-send developers
package io.github.posixsend.tools.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.io.StringWriter;
import java.util.List;

/** The three reports as strings, for tests. */
final class Reports {
    private Reports() {
    }

    static String json(RunInfo info, List<ProbeResult> results) {
        StringWriter s = new StringWriter();
        JsonReport.write(new PrintWriter(s), info, results);
        return s.toString();
    }

    static String markdown(RunInfo info, List<ProbeResult> results) {
        StringWriter s = new StringWriter();
        MarkdownReport.write(new PrintWriter(s), info, results);
        return s.toString();
    }

    /** The schema's complaints about a JSON report (empty when it conforms to docs/probe-report.schema.json). */
    static List<String> schemaErrors(JsonNode report) throws IOException {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of("docs", "probe-report.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(report)) {
            errors.add(m.toString());
        }
        return errors;
    }

    static String text(RunInfo info, List<ProbeResult> results, boolean details) {
        StringWriter s = new StringWriter();
        TextReport.write(new PrintWriter(s), info, results, details);
        return s.toString();
    }
}
