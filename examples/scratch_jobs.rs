// Scratch, not committed: time single jobs with kept rows, cold and warm.
use sitrep::cmd::build::{BuildOptions, prepare};
use sitrep::render::{self, Globals, Job, Rendered};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap());
    let p = prepare(&BuildOptions {
        root,
        ..BuildOptions::default()
    })
    .unwrap_or_else(|_| panic!());
    let only: Vec<String> = std::env::args().skip(2).collect();
    let jobs: Vec<Job> = [
        Job::Overview,
        Job::FigureList,
        Job::Matrix,
        Job::Timeline,
        Job::Checks,
        Job::IncidentList,
    ]
    .into_iter()
    .filter(|j| only.is_empty() || only.contains(&format!("{j:?}")))
    .collect();
    let g = Globals::new(&p.site).keeping_rows(&p.site);
    for job in jobs {
        let mut times = Vec::new();
        for _ in 0..300 {
            let t = Instant::now();
            let r = render::render_job(&p.site, &p.templates, &g, job).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1e3);
            if let Rendered::Bytes(b) = r {
                std::hint::black_box(b);
            }
        }
        println!(
            "{job:?}: first {:.1} then {:?}",
            times[0],
            times[1..]
                .iter()
                .map(|t| format!("{t:.1}"))
                .collect::<Vec<_>>()
        );
    }
}
