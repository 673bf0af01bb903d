//! The files for search engines and hosts: `sitemap.xml` (every page, by its canonical
//! address; past the protocol's 50,000 addresses a file, an index of `sitemaps/<n>.xml`),
//! `robots.txt`, and `.nojekyll` (GitHub Pages then serves the site as it is).

use super::{absolute, xml_escape, File, RenderContext, Renderer};
use crate::diagnostic::Diagnostic;

pub struct Crawl;

impl Renderer for Crawl {
    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        let site = cx.site;
        let urls: Vec<String> = (cx.page_paths().iter())
            .map(|path| xml_escape(&absolute(site, path)))
            .collect();
        let mut files = sitemaps(&urls, &xml_escape(&site.base_url), URLS_PER_SITEMAP);
        // base_url is checked to hold no spaces or line breaks (config.rs).
        let robots = format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            site.base_url
        );
        files.extend([
            File {
                path: "robots.txt".into(),
                bytes: robots.into_bytes(),
            },
            File {
                path: ".nojekyll".into(),
                bytes: Vec::new(),
            },
        ]);
        Ok(files)
    }
}

/// The sitemap protocol's limit of addresses in one file.
const URLS_PER_SITEMAP: usize = 50_000;

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// `sitemap.xml` listing `urls` (escaped), or, past `per_file` of them, `sitemap.xml` as an
/// index of `sitemaps/1.xml`, `sitemaps/2.xml`, … (`base` is the site's escaped address).
fn sitemaps(urls: &[String], base: &str, per_file: usize) -> Vec<File> {
    let urlset = |urls: &[String]| {
        let mut xml = format!(
            "{XML_DECLARATION}<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        );
        for url in urls {
            xml.push_str(&format!("<url><loc>{url}</loc></url>\n"));
        }
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    };
    if urls.len() <= per_file {
        return vec![File {
            path: "sitemap.xml".into(),
            bytes: urlset(urls),
        }];
    }
    let mut index = format!(
        "{XML_DECLARATION}<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    );
    let mut files = Vec::new();
    for (n, chunk) in urls.chunks(per_file).enumerate() {
        let path = format!("sitemaps/{}.xml", n + 1);
        index.push_str(&format!("<sitemap><loc>{base}{path}</loc></sitemap>\n"));
        files.push(File {
            path,
            bytes: urlset(chunk),
        });
    }
    index.push_str("</sitemapindex>\n");
    files.push(File {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(files: &[File], path: &str) -> String {
        let file = files.iter().find(|f| f.path == path).expect(path);
        String::from_utf8(file.bytes.clone()).unwrap()
    }

    #[test]
    fn a_sitemap_past_the_limit_becomes_an_index_of_sitemaps_holding_every_address() {
        let urls: Vec<String> = (0..5).map(|i| format!("https://x.org/s/{i}/")).collect();
        let one = sitemaps(&urls, "https://x.org/s/", 5);
        assert_eq!(one.len(), 1);
        assert_eq!(text(&one, "sitemap.xml").matches("<url>").count(), 5);

        let split = sitemaps(&urls, "https://x.org/s/", 2);
        let index = text(&split, "sitemap.xml");
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://x.org/s/sitemaps/3.xml</loc>"),
            "{index}"
        );
        assert!(!index.contains("sitemaps/4.xml"));
        let listed: Vec<String> = (1..=3)
            .flat_map(|n| {
                let part = text(&split, &format!("sitemaps/{n}.xml"));
                assert!(part.matches("<url>").count() <= 2);
                part.lines()
                    .filter_map(|l| l.strip_prefix("<url><loc>"))
                    .map(|l| l.trim_end_matches("</loc></url>").to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(listed, urls);
    }
}
