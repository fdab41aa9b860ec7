
use builtin;
use str;

set edit:completion:arg-completer[sentinel] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sentinel'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sentinel'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand investigate 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations'
            cand checklist 'Print the investigation checklist (probe, command, why, expected) without running it'
            cand mitigate 'Review and approve mitigations for a stored incident'
            cand postmortem 'Write the markdown postmortem draft'
            cand similar 'Find similar past incidents, or add one to the store'
            cand ingest 'Parse and save an incident; prints its id on the last line'
            cand incidents 'The stored incidents'
            cand store 'The incident store'
            cand playbook 'List, show, lint and test playbooks'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;investigate'= {
            cand -n 'Kubernetes namespace for probes'
            cand --namespace 'Kubernetes namespace for probes'
            cand --kube-context 'kubectl context (default: the current context)'
            cand -l 'Label selector for the workload'
            cand --selector 'Label selector for the workload'
            cand --host 'Host for host probes over ssh (repeatable)'
            cand --pg 'Postgres URL for SQL probes (or libpq env vars)'
            cand --logs 'Log file or folder to grep (repeatable)'
            cand --prom 'Prometheus base URL'
            cand --health 'Health endpoint to GET (repeatable): its status, latency and the components its body reports down'
            cand --timeout 'Timeout per probe (e.g. 10s)'
            cand --concurrency 'Probes run at once'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --offline 'Run no probes: analyse the text alone'
            cand --replay 'Re-analyse the probe outputs saved in a bundle'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;checklist'= {
            cand -n 'Kubernetes namespace for probes'
            cand --namespace 'Kubernetes namespace for probes'
            cand -l 'Label selector for the workload'
            cand --selector 'Label selector for the workload'
            cand --host 'Host for host probes (repeatable)'
            cand --pg 'Postgres URL the SQL probes would use (or libpq env vars)'
            cand --logs 'Log file or folder the log probes would grep (repeatable)'
            cand --prom 'Prometheus base URL the HTTP probes would query'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;mitigate'= {
            cand --approve 'Approve a mitigation by id (repeatable, for scripts)'
            cand --verify-for 'How long the verification probe watches'
            cand --pg 'The database SQL mitigations run on, with its credentials (the bundle keeps the URL of the probe run without its password; this must name the same server and database)'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --dry-run 'Show what would run; run nothing'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;postmortem'= {
            cand -o 'Write to this file'
            cand --output 'Write to this file'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --force 'Write over a draft without asking (human-edited sections are kept)'
            cand --follow-ups 'Print only the follow-up action items: a markdown checklist that pastes into an issue tracker (`--format json`: the items as data)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;similar'= {
            cand --limit 'How many matches'
            cand --add 'Add a past incident from this file'
            cand --id 'The id for --add'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;ingest'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;incidents'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List stored incidents'
            cand show 'Show one'
            cand rm 'Remove one'
            cand prune 'Remove old ones'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;incidents;list'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;incidents;show'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;incidents;rm'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;incidents;prune'= {
            cand --older-than 'Age, e.g. 180d'
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;incidents;help'= {
            cand list 'List stored incidents'
            cand show 'Show one'
            cand rm 'Remove one'
            cand prune 'Remove old ones'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;incidents;help;list'= {
        }
        &'sentinel;incidents;help;show'= {
        }
        &'sentinel;incidents;help;rm'= {
        }
        &'sentinel;incidents;help;prune'= {
        }
        &'sentinel;incidents;help;help'= {
        }
        &'sentinel;store'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand migrate 'Create or upgrade the Postgres schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;store;migrate'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;store;help'= {
            cand migrate 'Create or upgrade the Postgres schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;store;help;migrate'= {
        }
        &'sentinel;store;help;help'= {
        }
        &'sentinel;playbook'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List playbooks with their source (builtin or custom)'
            cand show 'Show one playbook''s YAML'
            cand lint 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
            cand test 'Run each playbook''s examples through the ranking'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;playbook;list'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;playbook;show'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;playbook;lint'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;playbook;test'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;playbook;help'= {
            cand list 'List playbooks with their source (builtin or custom)'
            cand show 'Show one playbook''s YAML'
            cand lint 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
            cand test 'Run each playbook''s examples through the ranking'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;playbook;help;list'= {
        }
        &'sentinel;playbook;help;show'= {
        }
        &'sentinel;playbook;help;lint'= {
        }
        &'sentinel;playbook;help;test'= {
        }
        &'sentinel;playbook;help;help'= {
        }
        &'sentinel;completions'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;man'= {
            cand --format 'Output format (default: table; postmortem: markdown)'
            cand --color 'When to use colour'
            cand --store 'Incident store: a directory or a postgres:// URL'
            cand --playbooks 'Extra playbooks; a file whose id matches a built-in one replaces it (repeatable)'
            cand --date-order 'How a date like 6/2/2026 is read'
            cand --tz 'The zone of times written without one (IANA name or +HH:MM)'
            cand --no-input 'Never prompt; fail with exit code 3 where a decision is needed'
            cand -q 'Print only the result'
            cand --quiet 'Print only the result'
            cand -v 'Show more: every hypothesis and all evidence'
            cand --verbose 'Show more: every hypothesis and all evidence'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sentinel;help'= {
            cand investigate 'Rank root-cause hypotheses for an incident, with evidence, checklist and mitigations'
            cand checklist 'Print the investigation checklist (probe, command, why, expected) without running it'
            cand mitigate 'Review and approve mitigations for a stored incident'
            cand postmortem 'Write the markdown postmortem draft'
            cand similar 'Find similar past incidents, or add one to the store'
            cand ingest 'Parse and save an incident; prints its id on the last line'
            cand incidents 'The stored incidents'
            cand store 'The incident store'
            cand playbook 'List, show, lint and test playbooks'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sentinel;help;investigate'= {
        }
        &'sentinel;help;checklist'= {
        }
        &'sentinel;help;mitigate'= {
        }
        &'sentinel;help;postmortem'= {
        }
        &'sentinel;help;similar'= {
        }
        &'sentinel;help;ingest'= {
        }
        &'sentinel;help;incidents'= {
            cand list 'List stored incidents'
            cand show 'Show one'
            cand rm 'Remove one'
            cand prune 'Remove old ones'
        }
        &'sentinel;help;incidents;list'= {
        }
        &'sentinel;help;incidents;show'= {
        }
        &'sentinel;help;incidents;rm'= {
        }
        &'sentinel;help;incidents;prune'= {
        }
        &'sentinel;help;store'= {
            cand migrate 'Create or upgrade the Postgres schema'
        }
        &'sentinel;help;store;migrate'= {
        }
        &'sentinel;help;playbook'= {
            cand list 'List playbooks with their source (builtin or custom)'
            cand show 'Show one playbook''s YAML'
            cand lint 'Check playbooks: schema, regexes, weights, read-only probes (file:line:column)'
            cand test 'Run each playbook''s examples through the ranking'
        }
        &'sentinel;help;playbook;list'= {
        }
        &'sentinel;help;playbook;show'= {
        }
        &'sentinel;help;playbook;lint'= {
        }
        &'sentinel;help;playbook;test'= {
        }
        &'sentinel;help;completions'= {
        }
        &'sentinel;help;man'= {
        }
        &'sentinel;help;help'= {
        }
    ]
    $completions[$command]
}
