//! The smaller findings: `Retry-After` in every HTTP-date form, an empty or 204 body
//! where nothing or an `Option` is expected, bytes that are not JSON, and server text
//! with control characters.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cloudflare_token_validation::Error;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use super::support::{
    assert_requests, client_for, failure, list_configs, mount_sequence, ok_seed, recording_client,
    serve, LIST_PATH, LIST_RESPONSE, RULE_ID, RULE_PATH, ZONE,
};
use super::{api_error, list};
use cloudflare_token_validation::ConfigurationListParams;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const LONG_DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `at` in the three HTTP-date forms: IMF-fixdate, RFC 850 and asctime.
fn http_dates(at: SystemTime) -> [String; 3] {
    let secs = at.duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
    let days = i64::try_from(secs / 86_400).expect("a date");
    let (h, m, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = usize::try_from(days % 7).expect("a weekday");
    let mon = MONTHS[usize::try_from(month - 1).expect("a month")];
    [
        format!(
            "{}, {day:02} {mon} {year} {h:02}:{m:02}:{s:02} GMT",
            DAYS[weekday]
        ),
        format!(
            "{}, {day:02}-{mon}-{:02} {h:02}:{m:02}:{s:02} GMT",
            LONG_DAYS[weekday],
            year % 100
        ),
        format!(
            "{} {mon} {day:>2} {h:02}:{m:02}:{s:02} {year}",
            DAYS[weekday]
        ),
    ]
}

#[tokio::test]
async fn retry_after_is_read_in_all_three_http_date_forms() {
    let at = SystemTime::now() + Duration::from_secs(30);
    for date in http_dates(at) {
        let server = MockServer::start().await;
        let busy = failure(429, 971, "slow down").insert_header("retry-after", date.as_str());
        mount_sequence(&server, "GET", LIST_PATH, [busy, ok_seed(LIST_RESPONSE)]).await;
        let (client, sleeper) = recording_client(&server);

        list(&client).await.expect("the retry succeeds");

        let delays = sleeper.delays();
        assert_eq!(delays.len(), 1, "{date}");
        // Whole seconds, and some time has passed since `at` was taken.
        assert!(
            delays[0] > Duration::from_secs(25) && delays[0] <= Duration::from_secs(30),
            "{date}: {delays:?}"
        );
        assert_requests(&server, 2).await;
    }
}

#[tokio::test]
async fn an_empty_or_204_body_where_an_option_is_expected_is_none() {
    let server = MockServer::start().await;
    let empty = [
        ResponseTemplate::new(204),
        ResponseTemplate::new(200),
        ResponseTemplate::new(200).set_body_raw("", "application/json"),
    ];
    mount_sequence(&server, "DELETE", RULE_PATH, empty).await;
    let client = client_for(&server);
    for _ in 0..3 {
        let deleted = client
            .token_validation()
            .rules()
            .delete(ZONE, RULE_ID)
            .await;
        assert_eq!(deleted.expect("no body is none"), None);
    }
    assert_requests(&server, 3).await;
}

#[tokio::test]
async fn bytes_that_are_not_json_are_called_that() {
    let not_json = ResponseTemplate::new(200).set_body_raw("OK", "application/json");
    let server = serve("GET", LIST_PATH, not_json, 1).await;
    let err = list_configs(&client_for(&server), ConfigurationListParams::new())
        .await
        .expect_err("not JSON");
    assert_eq!(
        super::detail(&err),
        "expected a JSON body but the bytes are not JSON \
         (content type application/json, status 200 OK): OK"
    );
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_requests(&server, 1).await;
}

#[tokio::test]
async fn server_text_with_control_characters_is_cleaned_in_display() {
    let long = "x".repeat(10_000);
    let message = format!("bad\r\nX-Injected: 1\u{1b}[2J{long}");
    let body = json!({"success": false, "errors": [{"code": 1, "message": message}]});
    let server = serve(
        "GET",
        LIST_PATH,
        ResponseTemplate::new(400).set_body_json(body),
        1,
    )
    .await;
    let err = list(&client_for(&server)).await.expect_err("400");

    let text = super::detail(&err);
    assert!(!text.chars().any(char::is_control), "{text:?}");
    assert!(
        text.starts_with("api error (status 400 Bad Request): bad  X-Injected: 1 [2Jxxx"),
        "{text}"
    );
    assert!(text.len() < 400, "{}", text.len());
    assert_eq!(api_error(&err).errors()[0].message, message, "kept as sent");
    assert_requests(&server, 1).await;
}
