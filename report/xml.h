/* xml: the one markup escaper of the reports — text safe in XML 1.0 (JUnit),
 * HTML and SVG, in element content and in quoted attribute values alike. */
#ifndef BARRAGE_REPORT_XML_H
#define BARRAGE_REPORT_XML_H

#include "common/strbuf.h"

/* Appends s to b escaped: & < > " ' as &amp; &lt; &gt; &quot; &#39;; tab,
 * newline and carriage return as &#9; &#10; &#13; (so an attribute keeps
 * them: XML turns them raw into spaces); the other control characters
 * (U+0000-U+001F, U+007F), which XML 1.0 forbids and HTML calls parse
 * errors, as U+FFFD. Other bytes, UTF-8 included, are copied. NULL appends
 * nothing. */
void xml_escape(strbuf_t *b, const char *s);

#endif
