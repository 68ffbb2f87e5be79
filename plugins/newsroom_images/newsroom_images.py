"""Responsive images: every lead and inline picture resized at build time, with WebP beside it.

Each picture gets copies at NEWSROOM_IMAGES_WIDTHS (never wider than the source; a narrower source adds
its own width as the largest) in its own format and in WebP, published under
`<output>/<NEWSROOM_IMAGES_OUTPUT_DIR>/<name>-<hash8>-<width>.<ext>`. The source in content/ is only read.
JPEG copies stay JPEG and PNG stays PNG; GIF gets PNG copies; WebP and AVIF sources get JPEG copies (PNG
when transparent) so srcset and the WebP <source> differ; animated pictures are published as they are.

Why not pelican-image-process: it only rewrites <img> tags that carry its special classes in the body, so
our lead images, which are metadata, are out of its reach; and it writes its copies straight into the
output folder, re-encoding any copy it does not find there. Our build writes every site into a fresh
staging folder (newsroom_content/build.py), so it would re-encode every picture on every build. This
plugin keeps a content-addressed cache (NEWSROOM_IMAGES_CACHE; the key is the source's SHA-256, width,
format, quality and recipe) and hard-links (or copies) the cached files into the staging folder.

For templates:

* `article.lead_image` (and `page.lead_image`) keeps newsroom_content's path, url, alt, caption and credit
  and gains `width`, `height` (upright, after EXIF orientation), `type` (the source's MIME type), `src`
  (the largest copy at most 800 px wide), `srcset` and `webp_srcset` (empty for animated pictures).
  URLs are relative to SITEURL, like `article.url`. The lead image is on the first screen, so it is not
  lazy-loaded:

      {% set img = article.lead_image %}
      <picture>
        {% if img.webp_srcset %}<source type="image/webp" srcset="{{ img.webp_srcset|srcset_url(SITEURL) }}" sizes="...">{% endif %}
        <img src="{{ SITEURL }}/{{ img.src }}" srcset="{{ img.srcset|srcset_url(SITEURL) }}" sizes="..."
             width="{{ img.width }}" height="{{ img.height }}" alt="{{ img.alt }}">
      </picture>

* `srcset_url(srcset, SITEURL)` prefixes each URL of such a srcset with SITEURL + "/".
* `{{ article.content|responsive_images }}` (optionally `responsive_images(sizes="...")`) returns the body
  with every local <img> as <picture>: WebP <source>, srcset, sizes (NEWSROOM_IMAGES_SIZES), width,
  height, loading="lazy" and decoding="async". It works on a copy: `article.content` is unchanged for
  feeds and search. Because the <img> gets its intrinsic width, the theme's CSS must give story images
  `max-width: 100%; height: auto`. A picture alone in its paragraph is already a <figure> with its caption
  (newsroom_markdown/figures.py), its src already the picture's published URL: its <img> is rewritten
  here like any other.

A picture Pillow cannot open is one logged error naming the file and the fix, which fails the build.
Settings and their defaults are in settings.py.
"""

from __future__ import annotations

import os

from jinja2 import pass_context
from markupsafe import Markup
from newsroom_engine.api import story_html
from pelican import signals
from pelican.generators import Generator

from .markup import inline_image_paths, responsive_html, srcset_url
from .registry import Registry
from .settings import CONFIG_KEY, load_config

REGISTRY_KEY = "NEWSROOM_IMAGES_REGISTRY"
CONTENT_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")


def check_settings(pelican) -> None:
    pelican.settings[CONFIG_KEY] = load_config(pelican.settings)


def registry_for(context: dict, settings: dict) -> Registry:
    """The run's registry: Pelican gives every generator of one run the same context dict."""
    if REGISTRY_KEY not in context:
        config = settings.get(CONFIG_KEY) or load_config(settings)
        context[REGISTRY_KEY] = Registry(config, settings["PATH"])
    return context[REGISTRY_KEY]


def add_template_filters(generator) -> None:
    if not hasattr(generator, "env"):
        return
    context = generator.context
    registry_for(context, generator.settings)

    @pass_context
    def responsive_images(ctx, html, sizes=None):
        registry = context[REGISTRY_KEY]
        content = ctx.get("article") or ctx.get("page")
        used_by = getattr(content, "source_path", None)
        static = context.get("static_content", {})
        return Markup(responsive_html(
            str(html or ""), lambda path: registry.find(path, static, used_by),
            ctx.get("SITEURL", ""), sizes or registry.config.sizes,
        ))

    generator.env.filters["responsive_images"] = responsive_images
    generator.env.filters["srcset_url"] = srcset_url


def with_translations(items):
    for item in items:
        yield item
        yield from getattr(item, "translations", ())


class ResponsiveImagesGenerator(Generator):
    """Plans the lead images before anything is rendered; writes every copy once the pages are written."""

    def generate_context(self):
        registry = registry_for(self.context, self.settings)
        for name in CONTENT_LISTS:
            for content in with_translations(self.context.get(name) or ()):
                lead = getattr(content, "lead_image", None)
                if not lead or not lead.get("path"):
                    continue
                info = registry.image(os.path.join(self.settings["PATH"], lead["path"]), content.source_path)
                if info:
                    lead.update(info.fields(lead["url"]))

    def generate_output(self, writer):
        # Pelican runs plugin generators after the article and page generators, so every inline picture
        # the templates met is known by now. Pages the build did not render again (their inputs were
        # unchanged) met none, so their stories' pictures are found here.
        registry = registry_for(self.context, self.settings)
        static = self.context.get("static_content", {})
        for name in CONTENT_LISTS:
            for content in with_translations(self.context.get(name) or ()):
                if "<img" not in (story_html(content) or ""):
                    continue
                for path in inline_image_paths(content.content, self.settings.get("SITEURL", "")):
                    registry.find(path, static, content.source_path)
        registry.publish(self.output_path)


def get_generators(pelican):
    return ResponsiveImagesGenerator


def register():
    # initialized: check the settings once, before anything is read, so a bad value stops the build early.
    signals.initialized.connect(check_settings)
    # generator_init: every generator's Jinja environment gets the responsive_images and srcset_url filters.
    signals.generator_init.connect(add_template_filters)
    # get_generators: our generator runs after the content generators have read the articles and pages.
    signals.get_generators.connect(get_generators)
