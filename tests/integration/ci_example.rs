//! `examples/github-actions.yml` works as written: its shape is checked, and every step that
//! needs no network (taking "now" from the last commit, check, build) is run here with bash,
//! as GitHub runs it, in a fresh git repository holding posts.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

use crate::harness::{BIN, REPO};

fn workflow() -> Value {
    let text =
        std::fs::read_to_string(Path::new(REPO).join("examples/github-actions.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn steps(workflow: &Value) -> Vec<Value> {
    workflow["jobs"]["feeds"]["steps"]
        .as_sequence()
        .unwrap()
        .clone()
}

fn uses<'a>(steps: &'a [Value], action: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap_or_else(|| panic!("no step uses {action}"))
}

#[test]
fn the_workflow_has_what_the_job_needs() {
    let workflow = workflow();
    let text = serde_yaml::to_string(&workflow).unwrap();
    assert!(!text.contains("SOURCE_DATE_EPOCH: '0'") && !text.contains("SOURCE_DATE_EPOCH: \"0\""));
    let steps = steps(&workflow);
    let checkout = uses(&steps, "actions/checkout@v4");
    assert!(
        checkout["with"]["fetch-depth"].as_u64().is_some(),
        "the last commit is checked out for its date"
    );
    let cache = uses(&steps, "actions/cache@v4");
    assert!(cache["with"]["key"]
        .as_str()
        .unwrap()
        .contains("steps.frontfeed.outputs.rev"));
    assert!(cache["with"]["path"]
        .as_str()
        .unwrap()
        .contains("~/.cargo/bin/frontfeed"));
    let upload = uses(&steps, "actions/upload-artifact@v4");
    assert!(upload["with"]["path"].as_str().unwrap().contains("out/"));
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("git log -1 --format=%ct")));
    assert!(runs
        .iter()
        .any(|r| r.contains("frontfeed check --format github")));
    assert!(runs.iter().any(|r| r.contains("frontfeed build")));
    assert!(runs
        .iter()
        .any(|r| r.contains("cargo install --git") && r.contains("--locked")));
    // Every URL names the repository Cargo.toml names.
    let manifest = std::fs::read_to_string(Path::new(REPO).join("Cargo.toml")).unwrap();
    let repository = "https://github.com/frontfeed/frontfeed";
    assert!(manifest.contains(&format!("repository = \"{repository}\"")));
    assert_eq!(workflow["env"]["FRONTFEED_REPO"].as_str(), Some(repository));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `KEY=value` lines of a `$GITHUB_ENV` file.
fn read_env_file(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_local_steps_pass_in_a_fresh_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("frontfeed.yaml"),
        "base_url: https://example.org/\ntitle: T\n",
    )
    .unwrap();
    std::fs::create_dir(dir.join("posts")).unwrap();
    std::fs::write(
        dir.join("posts/2023-06-01-old.md"),
        "---\ntitle: Old\ndate: 2023-06-01\n---\nx\n",
    )
    .unwrap();
    // Dated after the commit: held back, as Jekyll holds it back.
    std::fs::write(
        dir.join("posts/2030-01-01-later.md"),
        "---\ntitle: Later\ndate: 2030-01-01\n---\nx\n",
    )
    .unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "posts"]);

    let path = format!(
        "{}:{}",
        Path::new(BIN).parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let github_env = dir.join(".github_env");
    let github_output = dir.join(".github_output");
    let workflow = workflow();
    let mut env: BTreeMap<String, String> = workflow["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().into(), v.as_str().unwrap().into()))
        .collect();
    let mut ran = Vec::new();
    for step in steps(&workflow) {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        // Installing needs the network; the binary under test stands in for it.
        if script.contains("ls-remote") || script.contains("cargo install") {
            continue;
        }
        let output = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("CLICOLOR_FORCE")
            .envs(&env)
            .env("PATH", &path)
            .env("GITHUB_ENV", &github_env)
            .env("GITHUB_OUTPUT", &github_output)
            .output()
            .unwrap();
        let name = step["name"].as_str().unwrap_or(script).to_string();
        assert!(
            output.status.success(),
            "{name}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        env.extend(read_env_file(&github_env));
        ran.push((name, String::from_utf8_lossy(&output.stdout).into_owned()));
    }
    assert_eq!(ran.len(), 3, "{ran:?}");
    assert_eq!(
        env.get("SOURCE_DATE_EPOCH").map(String::as_str),
        Some("1704067200"),
        "the commit's date"
    );
    // check prints workflow commands only: none for these posts but the held-back note.
    let (_, check) = &ran[1];
    assert!(
        check.lines().all(|l| l.starts_with("::")),
        "workflow commands only: {check}"
    );
    assert!(
        check.contains("::notice file=posts/2030-01-01-later.md"),
        "{check}"
    );
    let rss = std::fs::read_to_string(dir.join("out/rss.xml")).unwrap();
    assert!(
        rss.contains("<title>Old</title>") && !rss.contains("Later"),
        "{rss}"
    );
}
