"""Messages shaped as Outlook, Gmail, Thunderbird and Apple Mail write them (header order, MIME
structure, boundaries, transfer encodings, charset labels, Outlook's MSO HTML and conditional
comments, an inline picture, Office and PDF attachments, a Notepad "Unicode" text file), for
checking that the closed-world problems (``incomplete``, ``charset-mismatch``, ``malformed``)
do not fire on ordinary mail: each of them blocks to an outside recipient.
"""

from __future__ import annotations

import base64

from docfixtures import letter_page, pdf
from legacy_fixtures import docx_bytes

NOTES = "Notes from the visit\r\nAll well.\r\n"
NOTES_U16 = NOTES.encode("utf-16")  # Notepad "Unicode": BOM + UTF-16LE
DOCX = docx_bytes(["Minutes of the meeting.", "Actions: none."])
PDF = pdf(letter_page)
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
                       "RU5ErkJggg==")  # one pixel


def b64(data: bytes) -> str:
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i+76] for i in range(0, len(s), 76))

def outlook() -> bytes:
    return f"""From: Priya Shah <priya.shah@gov.je>
To: "Le Brun, Anne" <dsl@stmarys.sch.je>
Subject: RE: Meeting notes
Thread-Topic: Meeting notes
Thread-Index: AdAORCNP1hNlonFcRVSp9eSrQwx2nA==
Date: Tue, 1 Dec 2026 10:15:00 +0000
Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach: yes
X-MS-TNEF-Correlator:
msip_labels: MSIP_Label_1a2b_Enabled=true; MSIP_Label_1a2b_SetDate=2026-12-01T10:14:00Z
Content-Type: multipart/mixed;
\tboundary="_004_AM0PR01MB1234ABCD_"
MIME-Version: 1.0

--_004_AM0PR01MB1234ABCD_
Content-Type: multipart/related;
\tboundary="_003_AM0PR01MB1234ABCD_";
\ttype="multipart/alternative"

--_003_AM0PR01MB1234ABCD_
Content-Type: multipart/alternative;
\tboundary="_000_AM0PR01MB1234ABCD_"

--_000_AM0PR01MB1234ABCD_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Hi Anne,

Notes attached. Kind regards,
Priya

[cid:image001.png@01DB4C5E.12345670]

--_000_AM0PR01MB1234ABCD_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html xmlns:v=3D"urn:schemas-microsoft-com:vml" xmlns:o=3D"urn:schemas-micr=
osoft-com:office:office" xmlns:w=3D"urn:schemas-microsoft-com:office:word" =
xmlns:m=3D"http://schemas.microsoft.com/office/2004/12/omml" xmlns=3D"http:=
//www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-ascii">
<meta name=3D"Generator" content=3D"Microsoft Word 15 (filtered medium)">
<!--[if !mso]><style>v\\:* {{behavior:url(#default#VML);}}
o\\:* {{behavior:url(#default#VML);}}
</style><![endif]--><style><!--
@font-face
\t{{font-family:"Cambria Math";
\tpanose-1:2 4 5 3 5 4 6 3 2 4;}}
p.MsoNormal, li.MsoNormal, div.MsoNormal
\t{{margin:0cm;
\tfont-size:11.0pt;
\tfont-family:"Calibri",sans-serif;
\tmso-fareast-language:EN-US;}}
span.EmailStyle18
\t{{mso-style-type:personal-reply;
\tfont-family:"Calibri",sans-serif;
\tcolor:windowtext;}}
@page WordSection1
\t{{size:612.0pt 792.0pt;
\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}}
div.WordSection1
\t{{page:WordSection1;}}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext=3D"edit" spidmax=3D"1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext=3D"edit">
<o:idmap v:ext=3D"edit" data=3D"1" />
</o:shapelayout></xml><![endif]-->
</head>
<body lang=3D"EN-GB" link=3D"#0563C1" vlink=3D"#954F72" style=3D"word-wrap:=
break-word">
<div class=3D"WordSection1">
<p class=3D"MsoNormal">Hi Anne,<o:p></o:p></p>
<p class=3D"MsoNormal"><o:p>&nbsp;</o:p></p>
<p class=3D"MsoNormal">Notes attached. Kind regards,<o:p></o:p></p>
<p class=3D"MsoNormal">Priya<o:p></o:p></p>
<p class=3D"MsoNormal"><img width=3D"1" height=3D"1" id=3D"Picture_x0020_1"=
 src=3D"cid:image001.png@01DB4C5E.12345670"><o:p></o:p></p>
</div>
</body>
</html>

--_000_AM0PR01MB1234ABCD_--

--_003_AM0PR01MB1234ABCD_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=70;
\tcreation-date="Tue, 01 Dec 2026 10:15:00 GMT";
\tmodification-date="Tue, 01 Dec 2026 10:15:00 GMT"
Content-ID: <image001.png@01DB4C5E.12345670>
Content-Transfer-Encoding: base64

{b64(PNG)}

--_003_AM0PR01MB1234ABCD_--

--_004_AM0PR01MB1234ABCD_
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
\tname="Minutes.docx"
Content-Description: Minutes.docx
Content-Disposition: attachment; filename="Minutes.docx"; size={len(DOCX)};
\tcreation-date="Tue, 01 Dec 2026 10:14:00 GMT";
\tmodification-date="Tue, 01 Dec 2026 10:14:00 GMT"
Content-Transfer-Encoding: base64

{b64(DOCX)}

--_004_AM0PR01MB1234ABCD_
Content-Type: text/plain; name="visit notes.txt"
Content-Description: visit notes.txt
Content-Disposition: attachment; filename="visit notes.txt"; size={len(NOTES_U16)};
\tcreation-date="Tue, 01 Dec 2026 10:14:00 GMT";
\tmodification-date="Tue, 01 Dec 2026 10:14:00 GMT"
Content-Transfer-Encoding: base64

{b64(NOTES_U16)}

--_004_AM0PR01MB1234ABCD_
Content-Type: application/pdf; name="Letter.pdf"
Content-Description: Letter.pdf
Content-Disposition: attachment; filename="Letter.pdf"; size={len(PDF)};
\tcreation-date="Tue, 01 Dec 2026 10:14:00 GMT";
\tmodification-date="Tue, 01 Dec 2026 10:14:00 GMT"
Content-Transfer-Encoding: base64

{b64(PDF)}

--_004_AM0PR01MB1234ABCD_--
""".replace("\n", "\r\n").encode()

def gmail(notes_charset: str = '"UTF-16LE"') -> bytes:
    return f"""MIME-Version: 1.0
Date: Tue, 1 Dec 2026 10:15:00 +0000
Message-ID: <CAKx9q=abc123@mail.gmail.com>
Subject: Visit notes
From: Sarah Smith <sarah.smith@example.com>
To: priya.shah@gov.je
Content-Type: multipart/mixed; boundary="000000000000a1b2c3d4e5f60708"

--000000000000a1b2c3d4e5f60708
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60706"

--000000000000a1b2c3d4e5f60706
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Hi Priya,

Here are my notes =E2=80=93 see you Tuesday.

Sarah

--000000000000a1b2c3d4e5f60706
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hi Priya,<div><br></div><div>Here are my notes =E2=80=93 s=
ee you Tuesday.</div><div><br></div><div>Sarah</div></div>

--000000000000a1b2c3d4e5f60706--
--000000000000a1b2c3d4e5f60708
Content-Type: text/plain; charset={notes_charset}; name="visit notes.txt"
Content-Disposition: attachment; filename="visit notes.txt"
Content-Transfer-Encoding: base64
Content-ID: <f_lm1abc0>
X-Attachment-Id: f_lm1abc0

{b64(NOTES_U16)}
--000000000000a1b2c3d4e5f60708
Content-Type: text/plain; charset="US-ASCII"; name="plain.txt"
Content-Disposition: attachment; filename="plain.txt"
Content-Transfer-Encoding: base64
X-Attachment-Id: f_lm1abc1

{b64(b"Just a plain ASCII note.")}
--000000000000a1b2c3d4e5f60708--
""".encode()

def thunderbird() -> bytes:
    return f"""Content-Type: multipart/mixed; boundary="------------0Xy9aBcDeFgHiJkLmNoP"
Message-ID: <3f1c2b5e-1111-2222-3333-444455556666@gov.je>
Date: Tue, 1 Dec 2026 10:15:00 +0000
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: en-GB
To: dsl@stmarys.sch.je
From: Priya Shah <priya.shah@gov.je>
Subject: Notes

This is a multi-part message in MIME format.
--------------0Xy9aBcDeFgHiJkLmNoP
Content-Type: multipart/alternative;
 boundary="------------aBcDeFgHiJkLmNoP0Xy9"

--------------aBcDeFgHiJkLmNoP0Xy9
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Hi Anne,

The notes are attached.

Priya

--------------aBcDeFgHiJkLmNoP0Xy9
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: 7bit

<!DOCTYPE html>
<html>
  <head>

    <meta http-equiv="content-type" content="text/html; charset=UTF-8">
  </head>
  <body>
    <p>Hi Anne,</p>
    <p>The notes are attached.</p>
    <div class="moz-signature">-- <br>
      Priya</div>
  </body>
</html>

--------------aBcDeFgHiJkLmNoP0Xy9--
--------------0Xy9aBcDeFgHiJkLmNoP
Content-Type: text/plain; charset=UTF-16; name="visit notes.txt"
Content-Disposition: attachment; filename="visit notes.txt"
Content-Transfer-Encoding: base64

{b64(NOTES_U16)}
--------------0Xy9aBcDeFgHiJkLmNoP
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="Minutes.docx"
Content-Disposition: attachment; filename="Minutes.docx"
Content-Transfer-Encoding: base64

{b64(DOCX)}
--------------0Xy9aBcDeFgHiJkLmNoP--
""".encode()

def apple() -> bytes:
    return f"""From: Sarah Smith <sarah.smith@example.com>
Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_5D2B1C3A-1111-2222-3333-444455556666"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: Notes
Message-Id: <5D2B1C3A-AAAA-BBBB-CCCC-DDDDEEEEFFFF@example.com>
Date: Tue, 1 Dec 2026 10:15:00 +0000
To: priya.shah@gov.je


--Apple-Mail=_5D2B1C3A-1111-2222-3333-444455556666
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
\tcharset=us-ascii

Hi Priya, notes attached.


--Apple-Mail=_5D2B1C3A-1111-2222-3333-444455556666
Content-Disposition: attachment;
\tfilename="visit notes.txt"
Content-Type: text/plain;
\tx-unix-mode=0644;
\tname="visit notes.txt"
Content-Transfer-Encoding: base64

{b64(NOTES_U16)}
--Apple-Mail=_5D2B1C3A-1111-2222-3333-444455556666
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
\tcharset=us-ascii

Sent from my Mac

--Apple-Mail=_5D2B1C3A-1111-2222-3333-444455556666--
""".encode()

SHAPES = {"outlook": outlook, "gmail": gmail, "thunderbird": thunderbird, "apple": apple}
