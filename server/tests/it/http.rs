//! The HTTP layer around the app: health, security headers, cross-site
//! refusal and the body limit. Backend-independent, so SQLite only.

use std::time::Duration;

use crate::common;
use crate::common::{Backend, ADMIN, DEMO_PASSWORD, EMPLOYEE};
use reqwest::StatusCode;

#[tokio::test]
async fn health_and_security_headers() {
    let server = common::start(Backend::Sqlite).await;
    let client = server.client();
    let res = client
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), r#"{"status":"ok"}"#);

    let res = client
        .get(format!("{}/sign-in", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("script nonce in CSP");
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script must carry the CSP nonce"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );

    // Each response gets its own nonce.
    let again = client
        .get(format!("{}/sign-in", server.url))
        .send()
        .await
        .unwrap();
    assert_ne!(
        again.headers()["content-security-policy"].to_str().unwrap(),
        csp
    );

    let res = client
        .get(format!("{}/nowhere", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body = res.text().await.unwrap();
    assert!(body.contains("Page not found"));
}

#[tokio::test]
async fn cross_site_mutations_are_refused() {
    let server = common::start(Backend::Sqlite).await;
    let client = server.client();
    let sign_in = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut req = client
            .post(format!("{}/api/sign_in", server.url))
            .form(&[("email", ADMIN), ("password", DEMO_PASSWORD)]);
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        if let Some(site) = fetch_site {
            req = req.header("sec-fetch-site", site);
        }
        req.send()
    };
    let res = sign_in(Some("https://evil.example"), None).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = sign_in(Some(&server.url), Some("cross-site"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = sign_in(None, Some("same-site")).await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a sibling subdomain is another site's page"
    );
    let res = sign_in(Some(&server.url), Some("same-origin"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = sign_in(Some(&server.url), None).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = common::start(Backend::Sqlite).await;
    let admin = server.sign_in(ADMIN, DEMO_PASSWORD).await;
    let huge = "x".repeat(server::BODY_LIMIT + 1);
    let res = admin
        .post(format!("{}/api/import_people", server.url))
        .form(&[("csv", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Pages and streams are served on the pool and handed to the connections'
/// thread chunk by chunk (`server::front`). A live stream must be let go as
/// soon as its client is gone, not at its next keep-alive 15 s later: every
/// open stream holds a subscription.
#[tokio::test]
async fn an_event_stream_is_let_go_as_soon_as_its_client_leaves() {
    let server = common::start(Backend::Sqlite).await;
    let live = &server.state.live;
    let employee = server.sign_in(EMPLOYEE, DEMO_PASSWORD).await;
    let before = live.listeners();
    let mut stream = employee
        .get(format!("{}/events/live", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(live.listeners(), before + 1);
    live.send(app::base::live::LiveEvent::Points);
    assert!(common::next_event(&mut stream)
        .await
        .contains("event: points"));

    drop(stream);
    let gone = async {
        while live.listeners() > before {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), gone)
        .await
        .expect("the stream's subscription ends within 5 s of the client leaving");
}

/// Pages are compressed with gzip even for a browser that takes brotli: a
/// brotli encoder holds megabytes for as long as its page is being sent.
#[tokio::test]
async fn pages_are_sent_gzipped_to_browsers() {
    let server = common::start(Backend::Sqlite).await;
    let res = common::no_redirects()
        .get(format!("{}/sign-in", server.url))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}
