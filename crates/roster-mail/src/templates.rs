//! What each message says: minijinja templates, `<kind>.subject.txt`, `<kind>.txt` and
//! `<kind>.html` (HTML-escaped). The built-in ones ship in the binary; a folder given at start
//! replaces any of them by name. Every template is rendered once with sample values when it is
//! loaded, so a broken one stops the server at start rather than a message at 3 a.m.

use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::MessageKind;

/// The subject and both bodies of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read the mail template {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("the mail template folder {0} holds {1}, which is no template Roster uses (expected <kind>.subject.txt, <kind>.txt or <kind>.html for kind in invitation, verify_email, password_reset, email_changed, password_changed)")]
    Unknown(String, String),
    #[error("the mail template {name} is not valid: {cause}")]
    Invalid { name: String, cause: String },
}

/// The loaded templates; cheap to share behind an `Arc`.
pub struct Templates {
    env: Environment<'static>,
    /// Where overrides came from, for the start-up log.
    folder: Option<String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

const PARTS: [&str; 3] = ["subject.txt", "txt", "html"];

fn built_in(name: &str) -> Option<&'static str> {
    Some(match name {
        "invitation.subject.txt" => include_str!("../templates/invitation.subject.txt"),
        "invitation.txt" => include_str!("../templates/invitation.txt"),
        "invitation.html" => include_str!("../templates/invitation.html"),
        "verify_email.subject.txt" => include_str!("../templates/verify_email.subject.txt"),
        "verify_email.txt" => include_str!("../templates/verify_email.txt"),
        "verify_email.html" => include_str!("../templates/verify_email.html"),
        "password_reset.subject.txt" => include_str!("../templates/password_reset.subject.txt"),
        "password_reset.txt" => include_str!("../templates/password_reset.txt"),
        "password_reset.html" => include_str!("../templates/password_reset.html"),
        "email_changed.subject.txt" => include_str!("../templates/email_changed.subject.txt"),
        "email_changed.txt" => include_str!("../templates/email_changed.txt"),
        "email_changed.html" => include_str!("../templates/email_changed.html"),
        "password_changed.subject.txt" => {
            include_str!("../templates/password_changed.subject.txt")
        }
        "password_changed.txt" => include_str!("../templates/password_changed.txt"),
        "password_changed.html" => include_str!("../templates/password_changed.html"),
        _ => return None,
    })
}

fn names() -> impl Iterator<Item = String> {
    MessageKind::ALL
        .into_iter()
        .flat_map(|kind| PARTS.map(|part| format!("{}.{part}", kind.as_str())))
}

impl Templates {
    /// The built-in templates.
    pub fn built_in() -> Templates {
        Templates::load(None).unwrap_or_else(|e| unreachable!("the built-in templates: {e}"))
    }

    /// The built-in templates, with those in `folder` (if any) in their place.
    pub fn load(folder: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut sources: Vec<(String, String)> = names()
            .map(|name| {
                let source = built_in(&name).unwrap_or_default().to_owned();
                (name, source)
            })
            .collect();
        if let Some(folder) = folder {
            let entries = std::fs::read_dir(folder).map_err(|cause| TemplateError::Read {
                path: folder.display().to_string(),
                cause,
            })?;
            for entry in entries {
                let entry = entry.map_err(|cause| TemplateError::Read {
                    path: folder.display().to_string(),
                    cause,
                })?;
                let file = entry.file_name().to_string_lossy().into_owned();
                if file.starts_with('.') || !entry.path().is_file() {
                    continue;
                }
                let Some(slot) = sources.iter_mut().find(|(name, _)| *name == file) else {
                    return Err(TemplateError::Unknown(folder.display().to_string(), file));
                };
                slot.1 =
                    std::fs::read_to_string(entry.path()).map_err(|cause| TemplateError::Read {
                        path: entry.path().display().to_string(),
                        cause,
                    })?;
            }
        }
        let mut env = Environment::new();
        // A misspelt variable is an error at start (the sample render), not a blank in a mail.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (name, source) in sources {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| TemplateError::Invalid {
                    name,
                    cause: e.to_string(),
                })?;
        }
        let templates = Templates {
            env,
            folder: folder.map(|f| f.display().to_string()),
        };
        for kind in MessageKind::ALL {
            templates.render(kind, &kind.sample())?;
        }
        Ok(templates)
    }

    /// The folder the overrides came from, if any.
    pub fn folder(&self) -> Option<&str> {
        self.folder.as_deref()
    }

    /// The message of `kind` with `values` (a JSON object).
    pub fn render(
        &self,
        kind: MessageKind,
        values: &serde_json::Value,
    ) -> Result<Rendered, TemplateError> {
        let part = |part: &str| {
            let name = format!("{}.{part}", kind.as_str());
            self.env
                .get_template(&name)
                .and_then(|t| t.render(values))
                .map_err(|e| TemplateError::Invalid {
                    name,
                    cause: e.to_string(),
                })
        };
        // A subject is one line, whatever the template's line breaks.
        let subject = part("subject.txt")?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Rendered {
            subject,
            text: part("txt")?,
            html: part("html")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let templates = Templates::built_in();
        let mut values = MessageKind::Invitation.sample();
        values["organization"] = "<b>Acme & Co</b>".into();
        let rendered = templates
            .render(MessageKind::Invitation, &values)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(rendered.html.contains("&lt;b&gt;Acme &amp; Co&lt;"));
        assert!(!rendered.html.contains("<b>"));
        assert!(rendered.text.contains("<b>Acme & Co</b>"));
        assert!(!rendered.subject.contains('\n'));
    }

    #[test]
    fn a_folder_overrides_by_name_and_refuses_what_it_does_not_know() {
        let dir = std::env::temp_dir().join(format!("roster-mail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.join("invitation.subject.txt"),
            "Join {{ organization }}!",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let templates = Templates::load(Some(&dir)).unwrap_or_else(|e| panic!("{e}"));
        let rendered = templates
            .render(MessageKind::Invitation, &MessageKind::Invitation.sample())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rendered.subject, "Join Acme, Inc.!");
        std::fs::write(dir.join("invite.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            Templates::load(Some(&dir)),
            Err(TemplateError::Unknown(..))
        ));
        std::fs::remove_file(dir.join("invite.txt")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("invitation.txt"), "{{ organisation }}")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            Templates::load(Some(&dir)),
            Err(TemplateError::Invalid { .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
