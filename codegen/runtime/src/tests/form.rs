//! Unit tests of `form`.

use crate::form::*;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Upload {
    title: String,
    tags: Vec<String>,
    note: Option<String>,
    meta: Value,
}

#[test]
fn urlencoded_repeats_lists_and_nests_objects() {
    let body = Upload {
        title: "a b&c".to_owned(),
        tags: vec!["x".to_owned(), "y".to_owned()],
        note: None,
        meta: serde_json::json!({"k": 1}),
    };
    assert_eq!(
        urlencoded(&body).as_deref(),
        Ok("meta%5Bk%5D=1&tags=x&tags=y&title=a+b%26c")
    );
}

#[test]
fn multipart_parts_and_boundary() {
    let mut form = Multipart::default();
    form.field("title", "hello");
    form.field("missing", &Option::<String>::None);
    form.file(
        "file",
        &Binary::new(b"PNG...".to_vec())
            .filename("a.png")
            .content_type("image/png"),
    );
    let (content_type, body) = form.encode();
    let boundary = content_type.trim_start_matches("multipart/form-data; boundary=");
    let text = String::from_utf8_lossy(&body);
    assert_eq!(
        text.matches(&format!("--{boundary}\r\n")).count(),
        2,
        "{text}"
    );
    assert!(text.contains("name=\"title\"\r\n\r\nhello\r\n"), "{text}");
    assert!(text.contains(
        "name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG...\r\n"
    ));
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    assert!(!text.contains("missing"));
}

#[test]
fn boundary_never_occurs_in_a_part() {
    let mut form = Multipart::default();
    form.field("evil", "----rust-client-form-boundary-7f3a9c1e");
    let (content_type, _) = form.encode();
    assert!(content_type.ends_with("-1"), "{content_type}");
}

#[test]
fn binary_debug_shows_length_only() {
    let b = Binary::new(b"secret-bytes".to_vec());
    assert!(!format!("{b:?}").contains("secret"));
}
