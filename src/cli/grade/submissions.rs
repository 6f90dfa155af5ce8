//! Where `grade` gets its submissions: one file each (walked like `check` does), or one row each
//! of a CSV or JSONL table with a text column and an id column.
//!
//! A bad row is an error naming the table and the line, and the other rows are still graded.
//! Lines are 1-based lines of the file, so a row of a CSV with a quoted multi-line text is named
//! by the line it starts on.

use std::path::{Path, PathBuf};

use miette::Report;
use serde_json::Value;

use crate::input::{self, Source};

/// Id columns tried, in order, when `--id-column` is not given.
const DEFAULT_ID_COLUMNS: [&str; 3] = ["name", "id", "student"];

/// One thing to grade.
#[derive(Debug)]
pub(super) enum Work {
    /// A file (or standard input), read when it is graded.
    File(Source),
    /// A row of a table, already read.
    Row(Row),
}

/// A submission read from a table.
#[derive(Debug)]
pub(super) struct Row {
    /// The student's id: the id column, else `table:line`.
    pub id: String,
    /// Where the row is: `table:line`.
    pub origin: String,
    /// The table, for config discovery.
    pub table: PathBuf,
    /// The submission.
    pub text: String,
}

/// How rows are found in tables.
#[derive(Clone, Debug)]
pub(super) struct Columns<'a> {
    /// Column (CSV) or field (JSONL) holding the text.
    pub text: &'a str,
    /// Column or field holding the id; `None` tries `name`, `id`, `student`.
    pub id: Option<&'a str>,
}

/// The two table formats.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum TableFormat {
    Csv,
    Jsonl,
}

impl TableFormat {
    fn of(path: &Path) -> Option<Self> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Some(Self::Csv),
            Some("jsonl" | "ndjson") => Some(Self::Jsonl),
            _ => None,
        }
    }
}

/// True if `path` names a table (by extension) rather than a single submission.
pub(super) fn is_table(path: &Path) -> bool {
    TableFormat::of(path).is_some()
}

/// Reads every row of a table; bad rows (and an unreadable table) become errors.
pub(super) fn read_table(path: &Path, columns: &Columns<'_>) -> (Vec<Row>, Vec<Report>) {
    let name = path.display().to_string();
    let Some(format) = TableFormat::of(path) else {
        let err = miette::miette!(
            code = "pitchlint::input",
            help = "give a .csv file with a header row, or a .jsonl file with one JSON object per line",
            "{name}: not a table of submissions (expected .csv or .jsonl)"
        );
        return (Vec::new(), vec![err]);
    };
    let text = match input::read(&Source::File(path.to_path_buf())) {
        Ok(text) => text,
        Err(err) => return (Vec::new(), vec![Report::new(err)]),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let entries = match format {
        TableFormat::Csv => read_csv(&name, text, columns),
        TableFormat::Jsonl => read_jsonl(&name, text, columns),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for entry in entries {
        match entry {
            Entry::Row { line, id, text } => {
                let origin = format!("{name}:{line}");
                if text.trim().is_empty() {
                    let who = id.as_deref().map_or_else(String::new, |id| format!(" (`{id}`)"));
                    errors.push(row_error(&origin, &format!("the text is empty{who}"), None));
                    continue;
                }
                let id =
                    id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()).unwrap_or_else(|| origin.clone());
                rows.push(Row { id, origin, table: path.to_path_buf(), text });
            }
            Entry::Error(report) => errors.push(report),
        }
    }
    (rows, errors)
}

/// A table row as read, or why it could not be, in file order.
enum Entry {
    Row { line: usize, id: Option<String>, text: String },
    Error(Report),
}

fn row_error(origin: &str, message: &str, help: Option<&str>) -> Report {
    match help {
        Some(help) => miette::miette!(code = "pitchlint::input", help = help.to_owned(), "{origin}: {message}"),
        None => miette::miette!(code = "pitchlint::input", "{origin}: {message}"),
    }
}

/// Reads the rows of a CSV table with a header row.
fn read_csv(name: &str, text: &str, columns: &Columns<'_>) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(err) => {
            let message = format!("cannot read the header row: {err}");
            return vec![Entry::Error(row_error(&format!("{name}:1"), &message, None))];
        }
    };
    let find = |wanted: &str| header.iter().position(|h| h.eq_ignore_ascii_case(wanted));
    let Some(text_index) = find(columns.text) else {
        let message = format!("no `{}` column (the header has {})", columns.text, list(&header));
        return vec![Entry::Error(row_error(
            &format!("{name}:1"),
            &message,
            Some("name the text column with --text-column"),
        ))];
    };
    let id_index = match columns.id {
        Some(id) => match find(id) {
            Some(i) => Some(i),
            None => {
                let message = format!("no `{id}` column (the header has {})", list(&header));
                return vec![Entry::Error(row_error(
                    &format!("{name}:1"),
                    &message,
                    Some("name the id column with --id-column"),
                ))];
            }
        },
        None => DEFAULT_ID_COLUMNS.iter().find_map(|c| find(c)),
    };
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| lines.line_at(text, p.byte() as usize));
                entries.push(Entry::Error(row_error(
                    &format!("{name}:{line}"),
                    &format!("malformed CSV row: {err}"),
                    None,
                )));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(text, p.byte() as usize));
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            let message = format!("the row has {} fields but the header has {}", record.len(), header.len());
            let help = "put a text containing commas, quotes or line breaks in double quotes, with \"\" for a quote";
            entries.push(Entry::Error(row_error(&format!("{name}:{line}"), &message, Some(help))));
            continue;
        }
        let body = record.get(text_index).unwrap_or_default().to_owned();
        let id = id_index.and_then(|i| record.get(i)).map(str::to_owned);
        entries.push(Entry::Row { line, id, text: body });
    }
    entries
}

/// Turns the byte offsets of CSV records into 1-based lines, counting incrementally (records come
/// in order). A record's offset may sit on the line break that ended the previous record, so
/// line breaks at the offset are skipped first.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: usize) -> usize {
        let bytes = text.as_bytes();
        let mut start = byte.min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.byte {
            (self.byte, self.line) = (0, 0);
        }
        self.line += bytes.get(self.byte..start).map_or(0, |gap| gap.iter().filter(|&&b| b == b'\n').count());
        self.byte = start;
        self.line + 1
    }
}

/// Reads the rows of a JSONL table: one object per line, blank lines skipped.
fn read_jsonl(name: &str, text: &str, columns: &Columns<'_>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let origin = format!("{name}:{}", index + 1);
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(err) => {
                // serde's "at line 1 column 2" would be about this one line: keep only the column.
                let reason = err.to_string();
                let reason = reason.split(" at line ").next().unwrap_or(&reason).to_owned();
                let message = format!("not valid JSON: {reason} (column {})", err.column());
                entries.push(Entry::Error(row_error(&origin, &message, None)));
                continue;
            }
        };
        let Value::Object(object) = value else {
            entries.push(Entry::Error(row_error(&origin, "not a JSON object", Some("write one object per line"))));
            continue;
        };
        let field = |wanted: &str| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(wanted)).map(|(_, v)| v);
        let body = match field(columns.text) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                entries.push(Entry::Error(row_error(&origin, &format!("`{}` is not a string", columns.text), None)));
                continue;
            }
            None => {
                let keys: Vec<String> = object.keys().cloned().collect();
                let message = format!("no `{}` field (the object has {})", columns.text, list(&keys));
                entries.push(Entry::Error(row_error(
                    &origin,
                    &message,
                    Some("name the text field with --text-column"),
                )));
                continue;
            }
        };
        let id_value = match columns.id {
            Some(id) => match field(id) {
                Some(v) => Some(v),
                None => {
                    entries.push(Entry::Error(row_error(
                        &origin,
                        &format!("no `{id}` field"),
                        Some("check --id-column"),
                    )));
                    continue;
                }
            },
            None => DEFAULT_ID_COLUMNS.iter().find_map(|c| field(c)),
        };
        let id = id_value.and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        entries.push(Entry::Row { line: index + 1, id, text: body });
    }
    entries
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn read(name: &str, contents: &str, columns: &Columns<'_>) -> std::io::Result<(Vec<Row>, Vec<String>)> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(name);
        std::fs::write(&path, contents)?;
        let (rows, errors) = read_table(&path, columns);
        let dir_name = dir.path().display().to_string();
        Ok((rows, errors.iter().map(|e| e.to_string().replace(&dir_name, "DIR")).collect()))
    }

    const DEFAULT: Columns<'static> = Columns { text: "text", id: None };

    #[test]
    fn quoted_csv_fields_keep_commas_quotes_and_line_breaks() -> TestResult {
        let csv = "\u{feff}Name,Text\r\nAva,\"Hi, I'm \"\"Ava\"\".\r\nSecond line.\"\r\nBen,Short one.\r\n";
        let (rows, errors) = read("class.csv", csv, &DEFAULT)?;
        assert!(errors.is_empty(), "{errors:?}");
        let texts: Vec<(&str, &str)> = rows.iter().map(|r| (r.id.as_str(), r.text.as_str())).collect();
        assert_eq!(texts, [("Ava", "Hi, I'm \"Ava\".\r\nSecond line."), ("Ben", "Short one.")]);
        let origins: Vec<&str> = rows.iter().map(|r| r.origin.rsplit('/').next().unwrap_or("")).collect();
        assert_eq!(origins, ["class.csv:2", "class.csv:4"]);
        Ok(())
    }

    #[test]
    fn a_ragged_csv_row_is_an_error_naming_its_line_and_the_rest_are_read() -> TestResult {
        let (rows, errors) = read("c.csv", "name,text\nAva,Fine.\nBen,Too,many\nCai,Also fine.\n", &DEFAULT)?;
        assert_eq!(rows.len(), 2);
        assert_eq!(errors, ["DIR/c.csv:3: the row has 3 fields but the header has 2"]);
        Ok(())
    }

    #[test]
    fn a_missing_text_column_names_the_columns_there_are() -> TestResult {
        let (rows, errors) = read("c.csv", "name,pitch\nAva,Hi.\n", &DEFAULT)?;
        assert!(rows.is_empty());
        assert_eq!(errors, ["DIR/c.csv:1: no `text` column (the header has `name`, `pitch`)"]);
        Ok(())
    }

    #[test]
    fn rows_without_an_id_are_named_by_their_line() -> TestResult {
        let columns = Columns { text: "pitch", id: None };
        let (rows, _) = read("c.csv", "pitch\nHello there.\n", &columns)?;
        assert!(rows.first().is_some_and(|r| r.id.ends_with("c.csv:2")));
        Ok(())
    }

    #[test]
    fn malformed_jsonl_lines_are_errors_and_good_lines_are_read() -> TestResult {
        let jsonl = "{\"id\": 7, \"text\": \"Hi.\"}\n\n{not json}\n[1]\n{\"name\": \"Ben\"}\n{\"name\": \"Cai\", \"text\": \"  \"}\n";
        let (rows, errors) = read("c.jsonl", jsonl, &DEFAULT)?;
        assert_eq!(rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["7"]);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(
            errors.first().map(String::as_str),
            Some("DIR/c.jsonl:3: not valid JSON: key must be a string (column 2)")
        );
        assert_eq!(errors.get(1).map(String::as_str), Some("DIR/c.jsonl:4: not a JSON object"));
        assert_eq!(errors.get(2).map(String::as_str), Some("DIR/c.jsonl:5: no `text` field (the object has `name`)"));
        assert_eq!(errors.get(3).map(String::as_str), Some("DIR/c.jsonl:6: the text is empty (`Cai`)"));
        Ok(())
    }

    #[test]
    fn an_explicit_id_column_must_exist() -> TestResult {
        let columns = Columns { text: "text", id: Some("student_id") };
        let (rows, errors) = read("c.csv", "name,text\nAva,Hi.\n", &columns)?;
        assert!(rows.is_empty());
        assert_eq!(errors, ["DIR/c.csv:1: no `student_id` column (the header has `name`, `text`)"]);
        Ok(())
    }
}
