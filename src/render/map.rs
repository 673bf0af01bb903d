//! Maps drawn at build time: Iran's provinces projected once (equirectangular, scaled by the
//! cosine of the middle latitude — faithful enough at Iran's size) and quantised to an integer
//! grid. Quantising vertex by vertex keeps shared borders shared: both neighbours map the same
//! vertices to the same points and drop the same duplicates, so no gaps open between provinces.

use crate::gazetteer::{Gazetteer, ProvinceIdx};
use geo::{BoundingRect, Coord, MapCoords, MultiPolygon};
use std::fmt::Write as _;

/// A projection from lon/lat to a grid `width` units wide.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    west: f64,
    north: f64,
    scale: f64,
    cos: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits the union of all province shapes into `width` units.
    pub fn fit(shapes: &[(ProvinceIdx, MultiPolygon<f64>)], width: f64) -> Projection {
        let mut rect: Option<geo::Rect<f64>> = None;
        for (_, shape) in shapes {
            if let Some(r) = shape.bounding_rect() {
                rect = Some(match rect {
                    None => r,
                    Some(acc) => geo::Rect::new(
                        Coord {
                            x: acc.min().x.min(r.min().x),
                            y: acc.min().y.min(r.min().y),
                        },
                        Coord {
                            x: acc.max().x.max(r.max().x),
                            y: acc.max().y.max(r.max().y),
                        },
                    ),
                });
            }
        }
        let rect = rect.unwrap_or_else(|| {
            geo::Rect::new(Coord { x: 44.0, y: 25.0 }, Coord { x: 63.5, y: 39.8 })
        });
        let cos = ((rect.min().y + rect.max().y) / 2.0).to_radians().cos();
        let scale = width / ((rect.max().x - rect.min().x) * cos);
        Projection {
            west: rect.min().x,
            north: rect.max().y,
            scale,
            cos,
            width,
            height: ((rect.max().y - rect.min().y) * scale).ceil(),
        }
    }

    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.cos * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// One province as an SVG path in integer units with relative moves (compact when gzipped).
pub fn province_path(shape: &MultiPolygon<f64>, projection: &Projection) -> String {
    let projected = shape.map_coords(|c| {
        let (x, y) = projection.point(c.x, c.y);
        Coord {
            x: x.round(),
            y: y.round(),
        }
    });
    let mut d = String::new();
    for polygon in &projected {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut points: Vec<(i64, i64)> =
                ring.coords().map(|c| (c.x as i64, c.y as i64)).collect();
            points.dedup();
            if points.len() < 4 {
                continue; // a ring smaller than the grid: an islet at this scale
            }
            let (mut px, mut py) = points[0];
            let _ = write!(d, "M{px} {py}");
            for &(x, y) in &points[1..points.len() - 1] {
                let _ = write!(d, "l{} {}", x - px, y - py);
                (px, py) = (x, y);
            }
            d.push('z');
        }
    }
    d
}

/// Every province's path, in gazetteer order.
pub fn provinces(gazetteer: &Gazetteer, projection: &Projection) -> Vec<(ProvinceIdx, String)> {
    gazetteer
        .boundaries()
        .iter()
        .map(|(p, shape)| (*p, province_path(shape, projection)))
        .collect()
}

/// The projected provinces at the two sizes the site draws: the map page and locator maps.
pub struct Maps {
    pub large: Projection,
    pub large_paths: Vec<(ProvinceIdx, String)>,
    pub small: Projection,
    pub small_paths: Vec<(ProvinceIdx, String)>,
}

/// Width of the map page's map, in SVG units (about 1.9 km each).
pub const LARGE_WIDTH: f64 = 1000.0;
/// Width of a locator map: coarse enough to weigh about a kilobyte.
pub const SMALL_WIDTH: f64 = 150.0;

impl Maps {
    pub fn new(gazetteer: &Gazetteer) -> Maps {
        let large = Projection::fit(gazetteer.boundaries(), LARGE_WIDTH);
        let small = Projection::fit(gazetteer.boundaries(), SMALL_WIDTH);
        Maps {
            large_paths: provinces(gazetteer, &large),
            large,
            small_paths: provinces(gazetteer, &small),
            small,
        }
    }
}
