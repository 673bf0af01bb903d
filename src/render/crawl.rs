//! The files for search engines and hosts: `sitemap.xml` (every page, by its canonical
//! address), `robots.txt`, and `.nojekyll` (GitHub Pages then serves the site as it is).

use super::{absolute, xml_escape, File, RenderContext, Renderer};
use crate::diagnostic::Diagnostic;

pub struct Crawl;

impl Renderer for Crawl {
    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        let site = cx.site;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for path in cx.page_paths() {
            let url = xml_escape(&absolute(site, &path));
            xml.push_str(&format!("<url><loc>{url}</loc></url>\n"));
        }
        xml.push_str("</urlset>\n");
        // base_url is checked to hold no spaces or line breaks (config.rs).
        let robots = format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.base_url
        );
        Ok(vec![
            File {
                path: "sitemap.xml".into(),
                bytes: xml.into_bytes(),
            },
            File {
                path: "robots.txt".into(),
                bytes: robots.into_bytes(),
            },
            File {
                path: ".nojekyll".into(),
                bytes: Vec::new(),
            },
        ])
    }
}
