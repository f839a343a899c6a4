//! Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data`.
//!
//! Urlencoded bodies go through the body's JSON form: scalars become `key=value`, lists
//! repeat the key and nested objects use `key[field]`. Multipart bodies are written part
//! by part by a small generated `MultipartBody` impl, so file fields ([`Binary`]) keep
//! their bytes, file name and media type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Raw bytes for a `format: binary` field: a file part in a multipart body.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Binary {
    /// The contents.
    pub bytes: Vec<u8>,
    /// The file name sent with the part.
    pub filename: Option<String>,
    /// The media type sent with the part (default `application/octet-stream`).
    pub content_type: Option<String>,
}

impl Binary {
    /// Bytes without a file name.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Binary {
            bytes: bytes.into(),
            filename: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part.
    #[must_use]
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }

    /// Sets the media type sent with the part.
    #[must_use]
    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

// The contents can be large or sensitive; the length says enough.
impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// In JSON a binary field can only travel as text.
impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| Binary::new(s.into_bytes()))
    }
}

impl super::validate::Validate for Binary {}

/// A body that writes itself as `multipart/form-data` parts (generated per body type).
pub trait MultipartBody {
    /// Adds one part per field that is present.
    fn write_parts(&self, form: &mut Multipart);
}

/// File-valued fields: one [`Binary`], an optional one, or several.
pub trait FileValue {
    /// The files, in order.
    fn files(&self) -> Vec<&Binary>;
}

impl FileValue for Binary {
    fn files(&self) -> Vec<&Binary> {
        vec![self]
    }
}

impl<T: FileValue> FileValue for Option<T> {
    fn files(&self) -> Vec<&Binary> {
        self.as_ref().map(FileValue::files).unwrap_or_default()
    }
}

impl<T: FileValue> FileValue for Vec<T> {
    fn files(&self) -> Vec<&Binary> {
        self.iter().flat_map(FileValue::files).collect()
    }
}

impl<T: FileValue + ?Sized> FileValue for Box<T> {
    fn files(&self) -> Vec<&Binary> {
        (**self).files()
    }
}

#[derive(Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// A `multipart/form-data` body under construction.
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// Adds a non-file field: text for scalars, one part per item for lists, JSON for
    /// objects; nothing when absent.
    pub fn field<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        let Ok(value) = serde_json::to_value(value) else {
            return;
        };
        self.value(name, value);
    }

    fn value(&mut self, name: &str, value: Value) {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    self.value(name, item);
                }
            }
            Value::Object(_) => self.parts.push(Part {
                name: name.to_owned(),
                filename: None,
                content_type: Some("application/json".to_owned()),
                bytes: value.to_string().into_bytes(),
            }),
            Value::String(s) => self.text(name, s),
            other => self.text(name, other.to_string()),
        }
    }

    fn text(&mut self, name: &str, text: String) {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: None,
            bytes: text.into_bytes(),
        });
    }

    /// Adds a file field: one part per file.
    pub fn file<F: FileValue + ?Sized>(&mut self, name: &str, value: &F) {
        for file in value.files() {
            self.parts.push(Part {
                name: name.to_owned(),
                filename: Some(file.filename.clone().unwrap_or_else(|| name.to_owned())),
                content_type: Some(
                    file.content_type
                        .clone()
                        .unwrap_or_else(|| "application/octet-stream".to_owned()),
                ),
                bytes: file.bytes.clone(),
            });
        }
    }

    /// The body and its content type, with a boundary that occurs in no part.
    pub(crate) fn encode(self) -> (String, Vec<u8>) {
        let mut boundary = "----rust-client-form-boundary-7f3a9c1e".to_owned();
        let mut n = 0u32;
        while self
            .parts
            .iter()
            .any(|p| contains(&p.bytes, boundary.as_bytes()))
        {
            n += 1;
            boundary = format!("----rust-client-form-boundary-7f3a9c1e-{n}");
        }
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quote(&part.name)
            );
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quote(filename)));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(ct) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Quotes a name for a `Content-Disposition` parameter; CR and LF cannot appear.
fn quote(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\r', '\n'], " ")
}

/// The urlencoded form of a body, through its JSON form.
pub(crate) fn urlencoded<B: Serialize + ?Sized>(body: &B) -> Result<String, String> {
    let value = serde_json::to_value(body).map_err(|e| e.to_string())?;
    let Value::Object(map) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (key, value) in map {
        flatten(key, value, &mut pairs);
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    out.extend_pairs(pairs);
    Ok(out.finish())
}

fn flatten(key: String, value: Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((key, s)),
        Value::Array(items) => {
            for item in items {
                flatten(key.clone(), item, out);
            }
        }
        Value::Object(map) => {
            for (field, item) in map {
                flatten(format!("{key}[{field}]"), item, out);
            }
        }
        other => out.push((key, other.to_string())),
    }
}
