-- Three touches pandoc's DOCX writer needs from the house style:
-- * paragraph numbers stay literal text (never Word numbering); a tab after each one jumps to
--   the hanging indent of the paragraph style, so that every line of the text aligns;
-- * words in Greek, Cyrillic, Armenian or Georgian script come as spans with their language (the
--   HTML's lang, set by pipeline/typeset.py as in every edition), which pandoc writes as w:lang;
--   Armenian and Georgian ones also get a character style naming a face that has their letters;
-- * table cells are set in the house table styles, the header row in "Table Heading" (bold in
--   every reader: LibreOffice does not apply a table style's first-row formatting).
local TAB = pandoc.RawInline("openxml", "<w:r><w:tab/></w:r>")

-- A paragraph's number is a span (templates/docx/document.html.j2), followed by a tab. Words in
-- another script arrive as spans with their language (pipeline/scripts.py decides it for every
-- edition: the HTML's lang is pandoc's w:lang); the Armenian and Georgian ones also take a
-- character style naming a face that has their letters. Only spans are handed to Lua: a
-- function on every list of inlines cost four times the rest of the filter.
local SCRIPT_STYLES = { hy = "Armenian Text", ka = "Georgian Text" }

function Span(span)
  if span.classes:includes("paragraph-number") then
    local number = span.content -- the template writes no space after it: the tab takes its place
    number:insert(TAB)
    return number
  end
  local language = span.attributes["lang"]
  local style = language and SCRIPT_STYLES[language:match("^[a-z]+")]
  if style and not span.attributes["custom-style"] then
    span.attributes["custom-style"] = style
    return span
  end
  return nil
end

local function styled_cells(rows, style)
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      -- A cell's text is Plain, which pandoc always sets in "Compact": a paragraph takes the style.
      local blocks = cell.contents:walk({ Plain = function(plain) return pandoc.Para(plain.content) end })
      cell.contents = { pandoc.Div(blocks, pandoc.Attr("", {}, { { "custom-style", style } })) }
    end
  end
end

function Table(table)
  styled_cells(table.head.rows, "Table Heading")
  for _, body in ipairs(table.bodies) do
    styled_cells(body.head, "Table Heading")
    styled_cells(body.body, "Table Text")
  end
  styled_cells(table.foot.rows, "Table Text")
  return table
end
