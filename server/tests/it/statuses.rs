//! Honest HTTP statuses: every error a caller can meet, from a server
//! function, the request guard or an event stream, answers with the status
//! its kind maps to and the same JSON body the browser turns into a
//! translated message. On SQLite and PostgreSQL.

use crate::common;
use crate::common::{Backend, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;
use serde_json::json;

on_both_databases!(every_error_kind_has_its_own_status);

async fn every_error_kind_has_its_own_status(backend: Backend) {
    let server = common::start(backend).await;
    let anonymous = server.client();

    // 400: input that breaks a rule, and arguments that cannot be read.
    let (status, body) = server.calls(&anonymous).sign_in("", "").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({ "Invalid": "SignInEmptyFields" })
        )
    );
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let (status, body) = server.calls(&employee).get_post("abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["ServerFn"]["Args"].is_string(), "{body}");

    // 401: not signed in (the guard, the streams), and a wrong password.
    let (status, body) = server.calls(&anonymous).my_profile().await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!("Unauthenticated"))
    );
    let res = anonymous
        .get(format!("{}/events/live", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = server
        .calls(&anonymous)
        .sign_in(ADMIN, "not the password")
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, json!("BadCredentials"))
    );

    // 403: signed in, but not allowed (a server function, a stream, and a
    // mutation from another site).
    let (status, body) = server.calls(&employee).list_people().await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, json!("Forbidden")));
    let res = employee
        .get(format!("{}/events/board", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = employee
        .post(format!("{}/api/my_posts", server.url))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // 404: no such post (or someone else's draft).
    let (status, body) = server.calls(&employee).get_post("987654").await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, json!("NotFound")));

    // 409: a copy someone else changed meanwhile.
    let draft = json!({ "id": null, "version": null, "input": {
        "title": "Statuses", "body": "", "destination_url": "", "image_id": null,
        "texts": [], "tags": "" } });
    let (status, saved) = server.call_json(&employee, "save_post", draft).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, body) = server
        .calls(&employee)
        .submit_post(
            &saved["id"].to_string(),
            &(saved["version"].as_i64().unwrap() + 5).to_string(),
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::CONFLICT, json!({ "Conflict": "ErrStale" }))
    );

    // 413: more than a request may carry, still as a JSON error.
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let huge = "x".repeat(server::BODY_LIMIT + 1);
    let (status, body) = server.calls(&admin).import_people(huge.as_str()).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({ "TooLarge": "ErrBodyTooLarge" })
        )
    );

    // 429, with the seconds to wait in Retry-After as well as in the body.
    let guesser = server.client();
    for _ in 0..5 {
        server
            .calls(&guesser)
            .sign_in(EMPLOYEE, "wrong-password")
            .await;
    }
    let res = guesser
        .post(format!("{}/api/sign_in", server.url))
        .header("accept", "application/json")
        .form(&[("email", EMPLOYEE), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["RateLimited"].as_u64(), Some(retry));
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");

    // 500: the database fails underneath (a table gone). The caller learns
    // nothing of the cause; the log has it, under the response's request id.
    sqlx::query("DROP TABLE notifications")
        .execute(&server.state.db)
        .await
        .unwrap();
    let res = employee
        .post(format!("{}/api/my_notifications", server.url))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 16, "a request id: {id}");
    assert_eq!(res.text().await.unwrap(), "\"Internal\"");
}

/// Instances behind one address share one count of failed sign-ins: three
/// guesses on one instance and two on another use up the account's five,
/// so neither lets a sixth through (each alone has seen fewer than five).
#[tokio::test]
async fn the_sign_in_limit_holds_across_two_postgres_instances() {
    let first = common::start(Backend::Postgres).await;
    let second = first.another_instance().await;
    for (server, guesses) in [(&first, 3), (&second, 2)] {
        let client = server.client();
        for _ in 0..guesses {
            let (status, body) = server
                .calls(&client)
                .sign_in(EMPLOYEE, "wrong-password")
                .await;
            assert_eq!(
                (status, body),
                (StatusCode::UNAUTHORIZED, json!("BadCredentials"))
            );
        }
    }
    for server in [&first, &second] {
        let client = server.client();
        let (status, body) = server.calls(&client).sign_in(EMPLOYEE, DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(
            body["RateLimited"].as_u64().is_some_and(|s| s > 0),
            "{body}"
        );
    }
}
