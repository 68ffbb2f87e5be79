<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows an RSS feed opened in a browser as a readable page: what a feed is, the address to copy into a
  feed reader, and the latest articles. Feed readers ignore it. Linked from every RSS feed by
  newsroom_feeds (NEWSROOM_FEEDS_STYLESHEET); browsers only apply it when it is served from the feed's
  own origin. Descriptions are escaped plain text, and disable-output-escaping does not work in every
  browser, so the template "unescape" below turns &amp;amp; &amp;lt; &amp;gt; back into characters.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/"
  exclude-result-prefixes="atom dc media">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/rss/channel">
    <html lang="{language}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title><xsl:value-of select="title"/> (feed)</title>
        <style>
          body { font: 1.05rem/1.55 Georgia, "Times New Roman", serif; margin: 0 auto; max-width: 42rem; padding: 1rem; }
          .nr-feed-note { border: 2px solid currentColor; padding: 0 1rem; margin: 1rem 0 2rem; }
          .nr-feed-note code { word-break: break-all; }
          .nr-feed-item { border-top: 1px solid #8888; padding: 1rem 0; }
          .nr-feed-item h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
          .nr-feed-item img { max-width: 100%; height: auto; }
          .nr-feed-item__meta { font: .9rem/1.4 system-ui, sans-serif; margin: 0; }
          a { color: LinkText; }
          a:focus { outline: 3px solid Highlight; outline-offset: 2px; }
        </style>
      </head>
      <body>
        <main>
          <section class="nr-feed-note" aria-labelledby="nr-feed-note-heading">
            <h2 id="nr-feed-note-heading">This is a feed</h2>
            <p>Copy this page's address into a feed reader (an RSS app) to see every new article here as it
              is published:</p>
            <p><code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
            <p><a href="{link}">Back to the website</a></p>
          </section>
          <h1><xsl:value-of select="title"/></h1>
          <p><xsl:value-of select="description"/></p>
          <xsl:apply-templates select="item"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article class="nr-feed-item">
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="nr-feed-item__meta">
        <xsl:for-each select="dc:creator">
          <xsl:value-of select="."/>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
        <xsl:if test="dc:creator"> · </xsl:if>
        <xsl:value-of select="pubDate"/>
      </p>
      <xsl:if test="media:content">
        <img src="{media:content/@url}" alt="{media:content/media:description}" loading="lazy">
          <xsl:if test="media:content/@width">
            <xsl:attribute name="width"><xsl:value-of select="media:content/@width"/></xsl:attribute>
            <xsl:attribute name="height"><xsl:value-of select="media:content/@height"/></xsl:attribute>
          </xsl:if>
        </img>
      </xsl:if>
      <p>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </article>
  </xsl:template>

  <!-- &lt; and &gt; first, &amp; last, so "&amp;lt;" written by an editor stays "&lt;". -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
